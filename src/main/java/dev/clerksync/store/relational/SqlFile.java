package dev.clerksync.store.relational;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the service's SQL files ({@code sql/}, every statement of the service), with camel-sql's
 * {@code :#name} parameters, read and parsed once. Run on a connection the caller holds, inside the
 * caller's transaction (the relational decider runs a batch of deliveries in one transaction,
 * {@link RelationalDecider}, the backfill a page), or, on its own, by spring-jdbc's
 * {@code NamedParameterJdbcTemplate} ({@link #namedText()}).
 * A file runs for one set of values ({@link #queryOne}, {@link #queryList}, {@link #update}) or, where it takes
 * arrays, for many at once ({@link #queryForEach}: PostgreSQL's action statements).
 */
public final class SqlFile {

    private static final Pattern NAMED_PARAMETER = Pattern.compile(":#(\\w+)");
    private static final Pattern COMMENT = Pattern.compile("(?m)--.*$");

    private final String jdbcText;
    private final String namedText;
    private final List<String> names;

    private SqlFile(String jdbcText, String namedText, List<String> names) {
        this.jdbcText = jdbcText;
        this.namedText = namedText;
        this.names = names;
    }

    public static SqlFile load(String resource) {
        try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            String sql = COMMENT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8)).replaceAll("");
            List<String> names = new ArrayList<>();
            Matcher matcher = NAMED_PARAMETER.matcher(sql);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return new SqlFile(NAMED_PARAMETER.matcher(sql).replaceAll("?").strip(),
                    NAMED_PARAMETER.matcher(sql).replaceAll(":$1").strip(), List.copyOf(names));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statement as JDBC takes it, {@code ?} for each parameter. */
    public String jdbcText() {
        return jdbcText;
    }

    /**
     * The statement as spring-jdbc's {@code NamedParameterJdbcTemplate} takes it, {@code :name} for
     * each parameter: the one way to run a file outside a transaction the caller holds.
     */
    public String namedText() {
        return namedText;
    }

    /** Runs a statement that returns at most one row: its columns by lower-case name, or null for none. */
    public Map<String, Object> queryOne(Connection connection, Map<String, Object> parameters) throws SQLException {
        List<Map<String, Object>> rows = query(connection, parameters, 1);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Runs a query: its rows, each its columns by lower-case name. */
    public List<Map<String, Object>> queryList(Connection connection, Map<String, Object> parameters) throws SQLException {
        return query(connection, parameters, Integer.MAX_VALUE);
    }

    /** Runs a statement that returns no rows (an insert, a setting): how many rows it changed. */
    public int update(Connection connection, Map<String, Object> parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, parameters)) {
            return statement.executeUpdate();
        }
    }

    /**
     * Runs a statement for many sets of values at once: each {@code :#name} is bound to a text array
     * of the sets' values, in their order (the statement casts it to the array type it needs, e.g.
     * {@code CAST(:#createdAt AS timestamptz[])}). Every execution binds the same types, so the
     * driver's server-side prepared statement is reused rather than parsed again. A backfill's page
     * too: by COPY into a staging table it cost as much (bench/RESULTS.md, "Erasure by id, COPY
     * against arrays").
     */
    public List<Map<String, Object>> queryForEach(Connection connection, List<Map<String, Object>> sets)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(jdbcText)) {
            for (int i = 0; i < names.size(); i++) {
                String[] values = new String[sets.size()];
                for (int s = 0; s < values.length; s++) {
                    values[s] = asText(valueOf(sets.get(s), names.get(i)));
                }
                statement.setArray(i + 1, connection.createArrayOf("text", values));
            }
            return rows(statement, Integer.MAX_VALUE);
        }
    }

    private List<Map<String, Object>> query(Connection connection, Map<String, Object> parameters, int maxRows)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, parameters)) {
            return rows(statement, maxRows);
        }
    }

    private PreparedStatement prepare(Connection connection, Map<String, Object> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(jdbcText);
        try {
            for (int i = 0; i < names.size(); i++) {
                statement.setObject(i + 1, valueOf(parameters, names.get(i)));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static Object valueOf(Map<String, Object> parameters, String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException("no value for :#" + name);
        }
        return parameters.get(name);
    }

    /** A value as PostgreSQL reads it from text: times in ISO 8601 with their offset. */
    private static String asText(Object value) {
        if (value instanceof OffsetDateTime time) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
        }
        return value == null ? null : value.toString();
    }

    private static List<Map<String, Object>> rows(PreparedStatement statement, int maxRows) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData columns = result.getMetaData();
            while (rows.size() < maxRows && result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= columns.getColumnCount(); c++) {
                    row.put(columns.getColumnLabel(c).toLowerCase(Locale.ROOT), result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
