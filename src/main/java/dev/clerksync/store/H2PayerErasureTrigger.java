package dev.clerksync.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.relational.SqlFile;
import org.h2.api.Trigger;

/**
 * The embedded store's twin of PostgreSQL's {@code clerk_sync_erase_payer} (db/migration/postgresql/V11):
 * when a user is deleted, the payer's personal data ({@link BillingRecord#PAYER_PERSONAL_FIELDS})
 * leaves the data of that user's billing records, in the deletion's transaction. Java because H2's
 * SQL cannot edit JSON.
 */
public final class H2PayerErasureTrigger implements Trigger {

    private static final SqlFile RECORDS = SqlFile.load("sql/h2/payer-records.sql");
    private static final Map<RecordKind, SqlFile> WRITE_BACK = new EnumMap<>(RecordKind.class);

    static {
        for (RecordKind kind : RecordKind.billing()) {
            WRITE_BACK.put(kind, SqlFile.load("sql/h2/payer-erased-" + kind.table() + ".sql"));
        }
    }

    private int id;
    private int deletedAt;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                int index = rs.getInt("ORDINAL_POSITION") - 1;
                if (column.equals("id")) {
                    id = index;
                } else if (column.equals("deleted_at")) {
                    deletedAt = index;
                }
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null || newRow[deletedAt] == null || (oldRow != null && oldRow[deletedAt] != null)) {
            return;
        }
        for (Map<String, Object> record : RECORDS.queryList(conn, Map.of("userId", newRow[id]))) {
            if (record.get("data") == null) {
                continue;
            }
            JsonNode data = H2ChangeEventTrigger.json(record.get("data"));
            if (data.path("payer") instanceof ObjectNode payer && BillingRecord.PAYER_PERSONAL_FIELDS.stream().anyMatch(payer::has)) {
                payer.remove(BillingRecord.PAYER_PERSONAL_FIELDS);
                WRITE_BACK.get(RecordKind.ofTable((String) record.get("table_name")))
                        .update(conn, Map.of("id", record.get("id"), "data", data.toString()));
            }
        }
    }
}
