package dev.clerksync.mapping;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;

/**
 * A mapping's table, checked against the database ({@link MappingCheck}), and its writes. The
 * statements are generated from the mapping: the one place where Java holds SQL text (docs/design.md,
 * decision 4, keeps every fixed statement in a file), since the table and its columns are the
 * application's. Every identifier is quoted as written.
 *
 * <p>PostgreSQL gets set-based statements: each write takes text arrays, one element per record,
 * cast to the column's own type, so that a round of the decider adds one statement per mapping,
 * whatever its size ({@code INSERT … SELECT FROM unnest(…) ON CONFLICT (key) DO UPDATE} naming only
 * the mapped columns). The embedded H2 database runs a scalar statement per record, in a JDBC batch.
 */
final class MappedTable {

    /** A mapped column: its name, the kind of its type, its type as a CAST names it, its source. */
    record Column(String name, ValueType type, String castType, Source source) {
    }

    private final Mapping mapping;
    private final boolean postgres;
    private final String table;
    private final String key;
    private final String keyType;
    private final List<Column> columns;
    private final String upsert;
    private final String insertOnly;
    private final String delete;
    private final String nullify;
    private final String erase;
    /** Audit, PostgreSQL only (where deferred erasures run in chunks): erasure of these entries' rows. */
    private final String eraseEntries;
    /** The admin view's read of one row: its key and mapped columns. */
    private final String select;
    /** The columns erasure changes (audit: those that read the payload), and what each becomes. */
    private final List<Column> erased;

    MappedTable(Mapping mapping, boolean postgres, String keyType, List<Column> columns) {
        Mapping.Table spec = mapping.postgres();
        this.mapping = mapping;
        this.postgres = postgres;
        this.table = (spec.schema() == null ? "" : quote(spec.schema()) + ".") + quote(spec.table());
        this.key = quote(spec.key());
        this.keyType = keyType;
        this.columns = List.copyOf(columns);
        this.erased = columns.stream().filter(column -> column.source().readsJson()).toList();
        String names = key + columns.stream().map(column -> ", " + quote(column.name())).collect(Collectors.joining());
        String sets = columns.stream().map(column -> quote(column.name()) + " = EXCLUDED." + quote(column.name()))
                .collect(Collectors.joining(", "));
        String nulls = columns.stream().map(column -> quote(column.name()) + " = NULL").collect(Collectors.joining(", "));
        this.select = "SELECT " + names + " FROM " + table + " WHERE " + key + " = ?";
        String erasures = erased.stream().map(column -> quote(column.name()) + " = " + scalar(column))
                .collect(Collectors.joining(", "));
        if (postgres) {
            String arrays = "CAST(? AS " + keyType + "[])" + columns.stream()
                    .map(column -> ", CAST(? AS " + column.castType() + "[])").collect(Collectors.joining());
            String insert = "INSERT INTO " + table + " (" + names + ") SELECT * FROM unnest(" + arrays + ") ON CONFLICT (" + key + ") ";
            this.upsert = insert + (columns.isEmpty() ? "DO NOTHING" : "DO UPDATE SET " + sets);
            this.insertOnly = insert + "DO NOTHING";
            String byKeys = " WHERE " + key + " = ANY (CAST(? AS " + keyType + "[]))";
            this.delete = "DELETE FROM " + table + byKeys;
            this.nullify = columns.isEmpty() ? null : "UPDATE " + table + " SET " + nulls + byKeys;
            this.erase = erased.isEmpty() ? null : "UPDATE " + table + " SET " + erasures + " WHERE " + key
                    + " IN (SELECT CAST(a.event_id AS " + keyType + ") FROM audit_log a JOIN unnest(CAST(? AS text[]),"
                    + " CAST(? AS text[])) AS d(user_id, event_id) ON a.user_id = d.user_id AND a.event_id <> d.event_id)";
            this.eraseEntries = erased.isEmpty() ? null : "UPDATE " + table + " SET " + erasures + byKeys;
        } else {
            String values = "?" + columns.stream().map(column -> ", " + scalar(column)).collect(Collectors.joining());
            this.upsert = "MERGE INTO " + table + " (" + names + ") KEY (" + key + ") VALUES (" + values + ")";
            this.insertOnly = "INSERT INTO " + table + " (" + names + ") SELECT " + values
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + key + " = ?)";
            this.delete = "DELETE FROM " + table + " WHERE " + key + " = ?";
            this.nullify = columns.isEmpty() ? null : "UPDATE " + table + " SET " + nulls + " WHERE " + key + " = ?";
            this.erase = erased.isEmpty() ? null : "UPDATE " + table + " SET " + erasures + " WHERE " + key
                    + " IN (SELECT event_id FROM audit_log WHERE user_id = ? AND event_id <> ?)";
            this.eraseEntries = null;
        }
    }

    Mapping mapping() {
        return mapping;
    }

    /**
     * Writes these records' rows: inserted, or (unless {@code insertOnly}) their mapped columns
     * updated. Rows of one call must have distinct keys (a round holds a record once).
     */
    void upsert(Connection connection, List<SourceRow> rows, boolean insertOnly) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        RecordKind kind = mapping.record();
        String sql = insertOnly ? this.insertOnly : upsert;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (postgres) {
                String[] keys = rows.stream().map(row -> row.id(kind)).toArray(String[]::new);
                statement.setArray(1, connection.createArrayOf("text", keys));
                for (int c = 0; c < columns.size(); c++) {
                    Column column = columns.get(c);
                    String[] values = rows.stream()
                            .map(row -> column.type().toPostgresText(column.type().convert(row.project(column.source()))))
                            .toArray(String[]::new);
                    statement.setArray(c + 2, connection.createArrayOf("text", values));
                }
                statement.executeUpdate();
                return;
            }
            for (SourceRow row : rows) {
                statement.setString(1, row.id(kind));
                for (int c = 0; c < columns.size(); c++) {
                    Column column = columns.get(c);
                    statement.setObject(c + 2, column.type().toH2(column.type().convert(row.project(column.source()))));
                }
                if (insertOnly) {
                    statement.setString(columns.size() + 2, row.id(kind));
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** These records were deleted: their rows are deleted, or keep their key with every mapped column null. */
    int onDelete(Connection connection, List<String> ids) throws SQLException {
        String sql = mapping.postgres().onDelete() == Mapping.OnDelete.DELETE ? delete : nullify;
        if (ids.isEmpty() || sql == null) {
            return 0;
        }
        return byKeys(connection, sql, ids);
    }

    /**
     * Audit: the rows of these users' entries, but for each the deletion's own ({@code userIds[i]},
     * {@code deletionIds[i]}), lose what they hold of the payload.
     */
    void erase(Connection connection, List<String> userIds, List<String> deletionIds) throws SQLException {
        if (erase == null || userIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(erase)) {
            int first = bindErased(statement);
            if (postgres) {
                statement.setArray(first, connection.createArrayOf("text", userIds.toArray()));
                statement.setArray(first + 1, connection.createArrayOf("text", deletionIds.toArray()));
                statement.executeUpdate();
                return;
            }
            for (int i = 0; i < userIds.size(); i++) {
                statement.setString(first, userIds.get(i));
                statement.setString(first + 1, deletionIds.get(i));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Audit: the rows of these entries lose what they hold of the payload (a chunk of a deferred erasure). */
    void eraseEntries(Connection connection, List<String> eventIds) throws SQLException {
        if (eraseEntries == null || eventIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(eraseEntries)) {
            int first = bindErased(statement);
            statement.setArray(first, connection.createArrayOf("text", eventIds.toArray()));
            statement.executeUpdate();
        }
    }

    /** Binds what each erased column becomes; the index of the next parameter. */
    private int bindErased(PreparedStatement statement) throws SQLException {
        SourceRow marker = SourceRow.fromTable(RecordKind.AUDIT, Map.of("payload", SourceRow.ERASED));
        int index = 1;
        for (Column column : erased) {
            Object value = column.type().convert(marker.project(column.source()));
            statement.setObject(index++, postgres ? column.type().toPostgresText(value) : column.type().toH2(value));
        }
        return index;
    }

    private int byKeys(Connection connection, String sql, List<String> ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (postgres) {
                statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
                return statement.executeUpdate();
            }
            int changed = 0;
            for (String id : ids) {
                statement.setString(1, id);
                changed += statement.executeUpdate();
            }
            return changed;
        }
    }

    /** The record's row as the admin view shows it (key and mapped columns); null when there is none. */
    ObjectNode read(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select)) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                ObjectNode shown = JsonNodeFactory.instance.objectNode().put(mapping.postgres().key(), row.getString(1));
                for (int c = 0; c < columns.size(); c++) {
                    Column column = columns.get(c);
                    shown.set(column.name(), column.type().toJson(column.type().read(row, c + 2)));
                }
                return shown;
            }
        }
    }

    /** What the record's row should hold, in {@link #read}'s form: the projection, or (a deleted record) the key and nulls. */
    ObjectNode expected(SourceRow record, boolean deleted) {
        ObjectNode shown = JsonNodeFactory.instance.objectNode().put(mapping.postgres().key(), record.id(mapping.record()));
        for (Column column : columns) {
            shown.set(column.name(), deleted ? JsonNodeFactory.instance.nullNode()
                    : column.type().toJson(column.type().convert(record.project(column.source()))));
        }
        return shown;
    }

    /** One value of a column in a scalar position: cast from text (PostgreSQL), JSON text read as JSON (H2). */
    private String scalar(Column column) {
        if (postgres) {
            return "CAST(? AS " + column.castType() + ")";
        }
        return column.type() == ValueType.JSON ? "? FORMAT JSON" : "?";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    List<Column> columns() {
        return new ArrayList<>(columns);
    }
}
