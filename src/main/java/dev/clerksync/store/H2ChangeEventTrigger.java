package dev.clerksync.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.relational.SqlFile;
import org.h2.api.Trigger;

/**
 * The embedded store's twin of PostgreSQL's change-event triggers (db/migration/postgresql/V4):
 * a row of users, organizations, organization_memberships or a billing table that is really inserted or updated
 * gets its next change_seq, and, on a connection of a service that publishes change events, its
 * change event is written in the same transaction, with the row as it will be stored as the data
 * and the columns the change altered ({@link H2ChangedColumns}), and the W3C traceparent of the
 * delivery that made it when traced (db/migration/h2/V12).
 */
public final class H2ChangeEventTrigger implements Trigger {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Both run on the trigger's own connection: inside the statement's transaction and session. */
    private static final SqlFile PUBLISHING = SqlFile.load("sql/h2/change-events-publishing.sql");
    private static final SqlFile INSERT = SqlFile.load("sql/h2/change-event-insert.sql");

    private final List<String> columns = new ArrayList<>();
    private String kind;
    private int id;
    private int changeSeq;
    private int deletedAt;
    private int lastEventAt;
    private int lastEventId;
    private H2ChangedColumns changedColumns;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        RecordKind record = RecordKind.ofTable(tableName.toLowerCase(Locale.ROOT));
        if (record == null || record.eventKind() == null) {
            throw new SQLException("no change events for table " + tableName);
        }
        kind = record.eventKind();
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            List<Object[]> found = new ArrayList<>();
            while (rs.next()) {
                found.add(new Object[] {rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)});
            }
            found.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
            found.forEach(column -> columns.add((String) column[1]));
        }
        id = index("id");
        changeSeq = index("change_seq");
        // Billing records are never deleted: they have no deleted_at (-1).
        deletedAt = columns.indexOf("deleted_at");
        lastEventAt = index("last_event_at");
        lastEventId = index("last_event_id");
        changedColumns = new H2ChangedColumns(columns, changeSeq);
    }

    /**
     * Null when this connection does not belong to a service that publishes change events (SqlStore's
     * init SQL); else the traced deliveries' traceparents by svix-id (empty when not traced).
     */
    private static JsonNode publishing(Connection conn) throws SQLException {
        Map<String, Object> row = PUBLISHING.queryOne(conn, Map.of());
        if (row == null || !"on".equals(row.get("publishing"))) {
            return null;
        }
        return row.get("traceparents") == null ? JSON.createObjectNode() : json(row.get("traceparents"));
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null) {
            return;
        }
        long seq = oldRow == null ? 1 : ((Number) oldRow[changeSeq]).longValue() + 1;
        newRow[changeSeq] = seq;
        JsonNode traceparents = publishing(conn);
        if (traceparents == null) {
            return;
        }
        Map<String, Object> event = new HashMap<>();
        event.put("id", UUID.randomUUID());
        event.put("type", kind + (deletedAt < 0 || newRow[deletedAt] == null ? ".changed" : ".deleted"));
        event.put("subject", newRow[id]);
        event.put("seq", seq);
        event.put("occurredAt", newRow[lastEventAt]);
        event.put("sourceEventId", newRow[lastEventId]);
        event.put("changed", changedColumns.of(oldRow, newRow).toString());
        event.put("data", data(newRow));
        event.put("traceparent", newRow[lastEventId] == null ? null : traceparents.path(newRow[lastEventId].toString()).textValue());
        INSERT.update(conn, event);
    }

    /** The row with the table's column names (less change_seq): times ISO-8601 in UTC, data as JSON. */
    private String data(Object[] row) throws SQLException {
        ObjectNode data = JSON.createObjectNode();
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            Object value = row[i];
            if (i == changeSeq) {
                continue;
            } else if (value == null) {
                data.putNull(column);
            } else if (value instanceof OffsetDateTime time) {
                data.put(column, time.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            } else if (value instanceof byte[] || column.equals("data")) {
                data.set(column, json(value));
            } else if (value instanceof Boolean flag) {
                data.put(column, flag);
            } else if (value instanceof Long number) {
                data.put(column, number);
            } else {
                data.put(column, value.toString());
            }
        }
        return data.toString();
    }

    /** A JSON column's value as H2 hands it over: bytes, or text. */
    static JsonNode json(Object value) throws SQLException {
        String json = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        try {
            JsonNode node = JSON.readTree(json);
            // H2 may hand a JSON column over as a JSON string that holds the document.
            return node.isTextual() ? JSON.readTree(node.asText()) : node;
        } catch (Exception e) {
            throw new SQLException("unreadable JSON in a change event's record", e);
        }
    }

    private int index(String column) throws SQLException {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new SQLException("no column " + column + " for change events");
        }
        return index;
    }
}
