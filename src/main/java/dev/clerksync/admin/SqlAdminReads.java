package dev.clerksync.admin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The admin view's reads from the relational store (PostgreSQL or the embedded H2): plain SELECTs,
 * each a file under {@code sql/admin/} read once when the view is made, run with named parameters.
 */
public final class SqlAdminReads implements AdminStoreReads {

    private final DataSource dataSource;
    private final NamedParameterJdbcTemplate jdbc;
    private final String engine;
    private final String label;
    private final String deliveries;
    private final String deliveriesAbout;
    private final String delivery;
    private final Map<RecordKind, String> records = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, String> memberships = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, String> billing = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, String> lists = new EnumMap<>(RecordKind.class);
    private final String outcomesSince;
    private final String lastBackfillRun;
    private final String lastReconcile;

    /**
     * @param dialect {@code postgresql} or {@code h2}
     * @param label   what the store is, for people ("PostgreSQL", "embedded H2 (./data)")
     */
    public SqlAdminReads(DataSource dataSource, String dialect, String label) {
        this.dataSource = dataSource;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.engine = dialect;
        this.label = label;
        this.deliveries = AdminSql.load(dialect, "deliveries");
        this.deliveriesAbout = AdminSql.load(dialect, "deliveries-about");
        this.delivery = AdminSql.load(dialect, "delivery");
        for (RecordKind kind : RecordKind.clerkRecords()) {
            records.put(kind, AdminSql.load(dialect, "record-" + kind.label()));
        }
        memberships.put(RecordKind.USER, AdminSql.load(dialect, "memberships-of-user"));
        memberships.put(RecordKind.ORGANIZATION, AdminSql.load(dialect, "memberships-of-organization"));
        billing.put(RecordKind.USER, AdminSql.load(dialect, "billing-of-user"));
        billing.put(RecordKind.ORGANIZATION, AdminSql.load(dialect, "billing-of-organization"));
        lists.put(RecordKind.USER, AdminSql.load(dialect, "list-user"));
        lists.put(RecordKind.ORGANIZATION, AdminSql.load(dialect, "list-organization"));
        this.outcomesSince = AdminSql.load(dialect, "outcomes-since");
        this.lastBackfillRun = AdminSql.load(dialect, "last-backfill-run");
        this.lastReconcile = AdminSql.load(dialect, "last-reconcile");
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String engine() {
        return engine;
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
        if (filter.about() != null && filter.isAboutOnly()) {
            return query(deliveriesAbout, Map.of("about", filter.about(), "count", count), SqlAdminReads::entries);
        }
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("subject", filter.subject());
        parameters.put("user", filter.user());
        parameters.put("type", filter.type());
        parameters.put("outcome", filter.outcome());
        parameters.put("about", filter.about());
        parameters.put("beforeAt", filter.before() == null ? null : utc(filter.before().receivedAt()));
        parameters.put("beforeId", filter.before() == null ? null : filter.before().eventId());
        parameters.put("count", count);
        return query(deliveries, parameters, SqlAdminReads::entries);
    }

    private static List<AuditEntry> entries(ResultSet rows) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        while (rows.next()) {
            entries.add(new AuditEntry(rows.getString("event_id"), rows.getString("event_type"),
                    rows.getString("subject_id"), rows.getString("user_id"), instant(rows, "event_at"),
                    instant(rows, "received_at"), rows.getString("outcome")));
        }
        return entries;
    }

    @Override
    public ObjectNode delivery(String eventId) {
        return firstRow(delivery, Map.of("eventId", eventId));
    }

    @Override
    public ObjectNode record(RecordKind kind, String id) {
        return firstRow(records.get(kind), Map.of("id", id));
    }

    @Override
    public ObjectNode comparable(RecordKind kind, String id) {
        return record(kind, id);
    }

    @Override
    public List<ObjectNode> memberships(RecordKind kind, String id) {
        return query(memberships.get(kind), Map.of("id", id), SqlAdminReads::objects);
    }

    @Override
    public List<ObjectNode> billing(RecordKind kind, String id) {
        return query(billing.get(kind), Map.of("id", id), SqlAdminReads::objects);
    }

    @Override
    public List<ObjectNode> records(RecordKind kind, RecordSearch search, int count) {
        String statement = lists.get(kind);
        if (statement == null) {
            throw new IllegalArgumentException("no list of " + kind.label() + "s");
        }
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("after", search.after());
        parameters.put("q", search.q());
        parameters.put("pattern", search.likePattern());
        parameters.put("count", count);
        return query(statement, parameters, SqlAdminReads::objects);
    }

    @Override
    public Map<String, Long> outcomesSince(Instant since) {
        return query(outcomesSince, Map.of("since", utc(since)), rows -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            while (rows.next()) {
                counts.put(rows.getString("outcome"), rows.getLong("n"));
            }
            return counts;
        });
    }

    /** The newest backfill run, without its checkpoint (internal bookkeeping); null when none ran. */
    public ObjectNode lastBackfillRun() {
        return firstRow(lastBackfillRun, Map.of());
    }

    /**
     * The newest reconcile pass that ended: its run, times, status and the drift it found ({@code drift}, null
     * when the pass kept none); null when none ran.
     */
    public ObjectNode lastReconcile() {
        ObjectNode run = firstRow(lastReconcile, Map.of());
        if (run != null) {
            // The rest of the checkpoint is internal bookkeeping.
            JsonNode drift = JsonValues.parse(run.remove("checkpoint").asText()).get("drift");
            run.set("drift", drift == null ? NullNode.instance : drift);
        }
        return run;
    }

    private ObjectNode firstRow(String statement, Map<String, Object> parameters) {
        List<ObjectNode> rows = query(statement, parameters, SqlAdminReads::objects);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private <T> T query(String statement, Map<String, Object> parameters, ResultSetExtractor<T> reader) {
        try {
            return jdbc.query(statement, parameters, reader);
        } catch (DataAccessException e) {
            throw new StoreReadException(name(), e);
        }
    }

    /** Each row as an object keyed by column name: times as ISO-8601 UTC, JSON columns parsed, booleans and bigints as JSON booleans and numbers. */
    private static List<ObjectNode> objects(ResultSet rows) throws SQLException {
        List<ObjectNode> objects = new ArrayList<>();
        ResultSetMetaData meta = rows.getMetaData();
        while (rows.next()) {
            ObjectNode object = JsonValues.object();
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                String name = meta.getColumnLabel(column).toLowerCase(Locale.ROOT);
                int type = meta.getColumnType(column);
                if (type == Types.TIMESTAMP_WITH_TIMEZONE || type == Types.TIMESTAMP) {
                    OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
                    object.set(name, JsonValues.time(time == null ? null : time.toInstant()));
                } else if (name.equals("data") || name.equals("payload")) {
                    object.set(name, JsonValues.parse(rows.getString(column)));
                } else if (type == Types.BOOLEAN || type == Types.BIT) {
                    // A billing item's is_free_trial: a JSON boolean, as MongoDB's copy holds it.
                    boolean value = rows.getBoolean(column);
                    object.put(name, rows.wasNull() ? null : value);
                } else if (type == Types.BIGINT) {
                    // A payment attempt's amount: a JSON number, as MongoDB's copy holds it.
                    long value = rows.getLong(column);
                    object.put(name, rows.wasNull() ? null : value);
                } else {
                    object.put(name, rows.getString(column));
                }
            }
            objects.add(object);
        }
        return objects;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
