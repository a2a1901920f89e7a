package dev.clerksync.backfill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the service's SQL files ({@code :#name} parameters, as camel-sql reads them), run on a
 * connection the caller holds: the backfill applies a page of objects with the same statements as
 * the webhook route, in one transaction of its own.
 */
final class SqlFile {

    private static final Pattern NAMED_PARAMETER = Pattern.compile(":#(\\w+)");
    private static final Pattern COMMENT = Pattern.compile("(?m)--.*$");

    private final String jdbcText;
    private final List<String> names;

    private SqlFile(String jdbcText, List<String> names) {
        this.jdbcText = jdbcText;
        this.names = names;
    }

    static SqlFile load(String resource) {
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
            return new SqlFile(NAMED_PARAMETER.matcher(sql).replaceAll("?").strip(), List.copyOf(names));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statement as JDBC takes it, {@code ?} for each parameter. */
    String jdbcText() {
        return jdbcText;
    }

    /** Runs a statement that returns at most one row: its columns by lower-case name, or null for none. */
    Map<String, Object> queryOne(Connection connection, Map<String, Object> parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(jdbcText)) {
            for (int i = 0; i < names.size(); i++) {
                if (!parameters.containsKey(names.get(i))) {
                    throw new IllegalArgumentException("no value for :#" + names.get(i));
                }
                statement.setObject(i + 1, parameters.get(names.get(i)));
            }
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    row.put(result.getMetaData().getColumnLabel(c).toLowerCase(Locale.ROOT), result.getObject(c));
                }
                return row;
            }
        }
    }
}
