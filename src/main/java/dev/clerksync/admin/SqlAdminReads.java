package dev.clerksync.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The admin view's reads from the relational store (PostgreSQL or the embedded H2): plain SELECTs. */
public final class SqlAdminReads implements AdminStoreReads {

    private static final String ENTRY_COLUMNS = "event_id, event_type, subject_id, user_id, event_at, received_at, outcome";

    private final DataSource dataSource;

    public SqlAdminReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public boolean healthy() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public List<AuditEntry> deliveries(DeliveryFilter filter, int count) {
        StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        condition(sql, parameters, " AND subject_id = ?", filter.subject());
        condition(sql, parameters, " AND user_id = ?", filter.user());
        condition(sql, parameters, " AND event_type = ?", filter.type());
        condition(sql, parameters, " AND outcome = ?", filter.outcome());
        if (filter.about() != null) {
            sql.append(" AND (subject_id = ? OR user_id = ?)");
            parameters.add(filter.about());
            parameters.add(filter.about());
        }
        if (filter.before() != null) {
            // A row comparison, so that PostgreSQL can walk the (received_at, event_id) index backwards.
            sql.append(" AND (received_at, event_id) < (?, ?)");
            parameters.add(OffsetDateTime.ofInstant(filter.before().receivedAt(), ZoneOffset.UTC));
            parameters.add(filter.before().eventId());
        }
        sql.append(" ORDER BY received_at DESC, event_id DESC LIMIT ").append(count);
        return query(sql.toString(), parameters, rows -> {
            List<AuditEntry> entries = new ArrayList<>();
            while (rows.next()) {
                entries.add(new AuditEntry(rows.getString("event_id"), rows.getString("event_type"),
                        rows.getString("subject_id"), rows.getString("user_id"), instant(rows, "event_at"),
                        instant(rows, "received_at"), rows.getString("outcome")));
            }
            return entries;
        });
    }

    @Override
    public ObjectNode delivery(String eventId) {
        return firstRow("SELECT " + ENTRY_COLUMNS + ", payload FROM audit_log WHERE event_id = ?", List.of(eventId));
    }

    @Override
    public ObjectNode record(RecordKind kind, String id) {
        return firstRow("SELECT * FROM " + kind.table() + " WHERE id = ?", List.of(id));
    }

    @Override
    public ObjectNode comparable(RecordKind kind, String id) {
        return record(kind, id);
    }

    @Override
    public List<ObjectNode> memberships(RecordKind kind, String id) {
        String column = kind == RecordKind.USER ? "user_id" : "organization_id";
        return query("SELECT * FROM organization_memberships WHERE " + column + " = ? ORDER BY id", List.of(id),
                SqlAdminReads::objects);
    }

    @Override
    public Map<String, Long> outcomesSince(Instant since) {
        return query("SELECT outcome, COUNT(*) AS n FROM audit_log WHERE received_at >= ? GROUP BY outcome",
                List.of(OffsetDateTime.ofInstant(since, ZoneOffset.UTC)), rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    while (rows.next()) {
                        counts.put(rows.getString("outcome"), rows.getLong("n"));
                    }
                    return counts;
                });
    }

    /** The newest backfill run, without its checkpoint (internal bookkeeping); null when none ran. */
    public ObjectNode lastBackfillRun() {
        return firstRow("SELECT run_id, started_at, finished_at, status, options FROM backfill_runs "
                + "ORDER BY started_at DESC LIMIT 1", List.of());
    }

    private ObjectNode firstRow(String sql, List<Object> parameters) {
        List<ObjectNode> rows = query(sql, parameters, SqlAdminReads::objects);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String clause, String value) {
        if (value != null) {
            sql.append(clause);
            parameters.add(value);
        }
    }

    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> T query(String sql, List<Object> parameters, Rows<T> reader) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new StoreReadException("postgres", e);
        }
    }

    /** Each row as an object keyed by column name: times as ISO-8601 UTC, JSON columns parsed. */
    private static List<ObjectNode> objects(ResultSet rows) throws SQLException {
        List<ObjectNode> objects = new ArrayList<>();
        ResultSetMetaData meta = rows.getMetaData();
        while (rows.next()) {
            ObjectNode object = JsonValues.object();
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                String name = meta.getColumnLabel(column).toLowerCase(java.util.Locale.ROOT);
                int type = meta.getColumnType(column);
                if (type == Types.TIMESTAMP_WITH_TIMEZONE || type == Types.TIMESTAMP) {
                    OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
                    object.set(name, JsonValues.time(time == null ? null : time.toInstant()));
                } else if (name.equals("data") || name.equals("payload")) {
                    object.set(name, JsonValues.parse(rows.getString(column)));
                } else {
                    object.put(name, rows.getString(column));
                }
            }
            objects.add(object);
        }
        return objects;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
