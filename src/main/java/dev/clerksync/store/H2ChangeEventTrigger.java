package dev.clerksync.store;

import dev.clerksync.store.relational.SqlStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.h2.api.Trigger;

/**
 * The embedded store's twin of PostgreSQL's change-event triggers (db/migration/postgresql/V4):
 * a row of users, organizations or organization_memberships that is really inserted or updated
 * gets its next change_seq, and, on a connection of a service that publishes change events, its
 * change event is written in the same transaction, with the row as it will be stored as the data.
 */
public final class H2ChangeEventTrigger implements Trigger {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, data) "
            + "VALUES (?, ?, ?, ?, ?, ?, ? FORMAT JSON)";

    private final List<String> columns = new ArrayList<>();
    private String kind;
    private int id;
    private int changeSeq;
    private int deletedAt;
    private int lastEventAt;
    private int lastEventId;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        kind = switch (tableName.toLowerCase(Locale.ROOT)) {
            case "users" -> "user";
            case "organizations" -> "organization";
            case "organization_memberships" -> "organizationMembership";
            default -> throw new SQLException("no change events for table " + tableName);
        };
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
        deletedAt = index("deleted_at");
        lastEventAt = index("last_event_at");
        lastEventId = index("last_event_id");
    }

    /** Whether this connection belongs to a service that publishes change events (SqlStore's init SQL). */
    private static boolean publishing(Connection conn) throws SQLException {
        try (PreparedStatement query = conn.prepareStatement("SELECT @" + SqlStore.H2_CHANGE_EVENTS_VARIABLE);
             ResultSet result = query.executeQuery()) {
            return result.next() && "on".equals(result.getString(1));
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null) {
            return;
        }
        long seq = oldRow == null ? 1 : ((Number) oldRow[changeSeq]).longValue() + 1;
        newRow[changeSeq] = seq;
        if (!publishing(conn)) {
            return;
        }
        try (PreparedStatement insert = conn.prepareStatement(INSERT)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, kind + (newRow[deletedAt] == null ? ".changed" : ".deleted"));
            insert.setString(3, (String) newRow[id]);
            insert.setLong(4, seq);
            insert.setObject(5, newRow[lastEventAt]);
            insert.setString(6, (String) newRow[lastEventId]);
            insert.setString(7, data(newRow));
            insert.executeUpdate();
        }
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
            } else if (value instanceof byte[] json) {
                data.set(column, parse(new String(json, StandardCharsets.UTF_8)));
            } else if (column.equals("data")) {
                data.set(column, parse(value.toString()));
            } else {
                data.put(column, value.toString());
            }
        }
        return data.toString();
    }

    private static JsonNode parse(String json) throws SQLException {
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
