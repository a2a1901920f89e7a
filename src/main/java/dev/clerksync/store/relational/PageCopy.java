package dev.clerksync.store.relational;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;

/**
 * An action statement taking many sets of values by COPY rather than as arrays: the statement's own
 * text, its {@code FROM unnest(CAST(:a AS t[]), …) AS d(a, …)} read instead from a temporary
 * staging table of those columns and types, filled by COPY. Derived from the file, so that the
 * statement an integration team reads stays the only one, whichever way its values arrive.
 *
 * <p>Why: PostgreSQL reads a page of 500 users by COPY with about half the CPU it spends on the same
 * values as text arrays (bench/RESULTS.md, "COPY against arrays"), the JSON columns above all.
 * The staging table is created, when missing, in each transaction that uses it, so that it is there
 * behind a pooler in transaction mode too, and emptied at every commit.
 */
final class PageCopy {

    private static final Pattern UNNEST = Pattern.compile(
            "unnest\\(((?:\\s*CAST\\(:\\w+ AS \\w+\\[\\]\\)\\s*,?)+)\\)\\s+AS\\s+d\\(([^)]*)\\)");
    private static final Pattern CAST = Pattern.compile("CAST\\(:(\\w+) AS (\\w+)\\[\\]\\)");

    private final List<String> names;
    private final String create;
    private final String copy;
    private final String statement;

    private PageCopy(List<String> names, String create, String copy, String statement) {
        this.names = names;
        this.create = create;
        this.copy = copy;
        this.statement = statement;
    }

    /**
     * The COPY form of a statement ({@code namedText}: its {@code :name} form), or null when its
     * parameters are not exactly the arrays of one {@code unnest(…) AS d(…)}.
     */
    static PageCopy of(String resource, String namedText, List<String> names) {
        Matcher unnest = UNNEST.matcher(namedText);
        if (names.isEmpty() || !unnest.find()) {
            return null;
        }
        List<String> casts = new ArrayList<>();
        List<String> types = new ArrayList<>();
        Matcher cast = CAST.matcher(unnest.group(1));
        while (cast.find()) {
            casts.add(cast.group(1));
            types.add(cast.group(2));
        }
        String[] columns = unnest.group(2).split(",");
        if (!casts.equals(names) || columns.length != casts.size()) {
            return null;
        }
        String table = "clerk_sync_page_" + resource.replaceAll("^.*/|\\.sql$", "").replace('-', '_');
        StringBuilder definition = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            definition.append(i > 0 ? ", " : "").append(columns[i].strip()).append(' ').append(types.get(i));
        }
        return new PageCopy(names, "CREATE TEMP TABLE IF NOT EXISTS " + table + " (" + definition + ") ON COMMIT DELETE ROWS",
                "COPY " + table + " FROM STDIN",
                namedText.substring(0, unnest.start()) + table + " AS d" + namedText.substring(unnest.end()));
    }

    /** Runs the statement for the sets, in the caller's transaction: its rows. */
    List<Map<String, Object>> query(Connection connection, List<Map<String, Object>> sets) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute(create);
        }
        StringBuilder rows = new StringBuilder();
        for (Map<String, Object> set : sets) {
            for (int i = 0; i < names.size(); i++) {
                String value = SqlFile.asText(SqlFile.valueOf(set, names.get(i)));
                rows.append(i > 0 ? "\t" : "").append(value == null ? "\\N" : escaped(value));
            }
            rows.append('\n');
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PreparedStatement query = connection.prepareStatement(statement)) {
            return SqlFile.rows(query, Integer.MAX_VALUE);
        }
    }

    /** A value in COPY's text format. */
    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
