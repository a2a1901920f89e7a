package dev.clerksync.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.PGConnection;

/**
 * What writing a backfill page by COPY into a staging table would save against today's arrays
 * (issue 22 item 5): the same pages of users (as the Clerk stand-in lists them) written into a
 * scratch copy of the users table and an audit table by one merge per page, the page handed to
 * PostgreSQL either as text[] parameters (as the service's SqlFile binds them) or by COPY into a
 * temporary table. The two alternate, round by round, on fresh tables; each run reports its wall
 * time and the CPU time of its PostgreSQL backend (read from /proc: PostgreSQL must run on this
 * machine).
 */
final class CopyVersusArrays {

    private static final int PAGE = 500;
    private static final ObjectMapper JSON_TEXT = new ObjectMapper();
    private static final String[] COLUMNS = {"event_id", "subject_id", "email", "first_name", "last_name", "username",
            "image_url", "created_at", "updated_at", "last_event_at", "payload", "data"};
    private static final String[] TYPES = {"text", "text", "text", "text", "text", "text", "text", "bigint", "bigint",
            "bigint", "jsonb", "jsonb"};
    /** The merge of upsert-user.sql (guard, audit of what applied), reading the page from {@code staging}. */
    private static final String MERGE = """
            WITH delivery AS MATERIALIZED (SELECT * FROM staging), effect AS (
                INSERT INTO u AS x (id, email, first_name, last_name, username, image_url, created_at, updated_at,
                                    last_event_at, last_event_id, data)
                SELECT subject_id, email, first_name, last_name, username, image_url, to_timestamp(created_at / 1000.0),
                       to_timestamp(updated_at / 1000.0), to_timestamp(last_event_at / 1000.0), event_id, data
                FROM delivery
                ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
                    last_name = EXCLUDED.last_name, username = EXCLUDED.username, image_url = EXCLUDED.image_url,
                    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                    last_event_at = EXCLUDED.last_event_at, last_event_id = EXCLUDED.last_event_id, data = EXCLUDED.data
                WHERE x.last_event_at < EXCLUDED.last_event_at AND x.deleted_at IS NULL
                RETURNING x.last_event_id)
            INSERT INTO a (event_id, subject_id, outcome, payload)
            SELECT event_id, subject_id, 'applied', payload FROM delivery
            WHERE event_id IN (SELECT last_event_id FROM effect)
            ON CONFLICT (event_id) DO NOTHING""";

    private CopyVersusArrays() {
    }

    static int run(Args args) throws Exception {
        int users = args.intValue("users", 20_000);
        int rounds = args.intValue("rounds", 3);
        List<String[]> rows = rows(users);
        try (Connection connection = DriverManager.getConnection(args.required("postgres-url"),
                args.get("postgres-user", "postgres"), args.get("postgres-password", ""))) {
            long backend = backendPid(connection);
            System.out.printf("%d users in pages of %d, %d rounds; PostgreSQL backend %d%n", users, PAGE, rounds, backend);
            for (int round = 1; round <= rounds; round++) {
                for (String mode : List.of("arrays", "copy", "json", "binary")) {
                    createTables(connection);
                    long ticks = ProcFs.cpuTicks(backend);
                    long started = System.nanoTime();
                    connection.setAutoCommit(false);
                    for (int from = 0; from < rows.size(); from += PAGE) {
                        List<String[]> page = rows.subList(from, Math.min(rows.size(), from + PAGE));
                        switch (mode) {
                            case "copy" -> copy(connection, page);
                            case "json" -> json(connection, page);
                            case "binary" -> arrays(connection, page, true);
                            default -> arrays(connection, page, false);
                        }
                        connection.commit();
                    }
                    connection.setAutoCommit(true);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double cpu = (ProcFs.cpuTicks(backend) - ticks) / (double) ProcFs.TICKS_PER_SECOND;
                    System.out.printf("round %d %-6s wall %6.2f s (%,.0f users/s)  PostgreSQL CPU %6.2f s (%.3f ms per user)%n",
                            round, mode, seconds, users / seconds, cpu, cpu * 1000 / users);
                }
            }
        }
        return 0;
    }

    private static void arrays(Connection connection, List<String[]> page, boolean binary) throws SQLException {
        StringBuilder unnest = new StringBuilder("unnest(");
        for (int i = 0; i < TYPES.length; i++) {
            unnest.append(i > 0 ? ", " : "").append("CAST(? AS ").append(TYPES[i]).append("[])");
        }
        unnest.append(") AS staging(").append(String.join(", ", COLUMNS)).append(')');
        try (PreparedStatement statement = connection.prepareStatement(MERGE.replace("FROM staging", "FROM " + unnest))) {
            for (int i = 0; i < COLUMNS.length; i++) {
                String[] column = new String[page.size()];
                for (int r = 0; r < page.size(); r++) {
                    column[r] = page.get(r)[i];
                }
                if (binary) {
                    statement.setObject(i + 1, column);
                } else {
                    statement.setArray(i + 1, connection.createArrayOf("text", column));
                }
            }
            statement.execute();
        }
    }

    private static void copy(Connection connection, List<String[]> page) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE staging (event_id text, subject_id text, email text, first_name text, "
                    + "last_name text, username text, image_url text, created_at bigint, updated_at bigint, "
                    + "last_event_at bigint, payload jsonb, data jsonb) ON COMMIT DROP");
            StringBuilder text = new StringBuilder();
            for (String[] row : page) {
                for (int i = 0; i < row.length; i++) {
                    text.append(i > 0 ? "\t" : "").append(row[i] == null ? "\\N" : copyText(row[i]));
                }
                text.append('\n');
            }
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY staging FROM STDIN", new StringReader(text.toString()));
            statement.execute(MERGE);
        }
    }

    /**
     * The page as one jsonb parameter, an array of objects whose {@code payload} and {@code data}
     * are JSON values rather than strings: PostgreSQL parses the page once, and no value is escaped
     * into an array literal.
     */
    private static void json(Connection connection, List<String[]> page) throws SQLException {
        StringBuilder text = new StringBuilder("[");
        for (int r = 0; r < page.size(); r++) {
            String[] row = page.get(r);
            text.append(r > 0 ? "," : "").append('{');
            for (int i = 0; i < row.length; i++) {
                text.append(i > 0 ? "," : "").append('"').append(COLUMNS[i]).append("\":");
                boolean raw = row[i] == null || TYPES[i].equals("jsonb") || TYPES[i].equals("bigint");
                text.append(raw ? row[i] : JSON_TEXT.valueToTree(row[i]).toString());
            }
            text.append('}');
        }
        text.append(']');
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < COLUMNS.length; i++) {
            columns.append(i > 0 ? ", " : "").append(COLUMNS[i]).append(' ').append(TYPES[i]);
        }
        try (PreparedStatement statement = connection.prepareStatement(
                MERGE.replace("FROM staging", "FROM jsonb_to_recordset(CAST(? AS jsonb)) AS staging(" + columns + ")"))) {
            statement.setString(1, text.toString());
            statement.execute();
        }
    }

    /** A value in COPY's text format. */
    private static String copyText(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static List<String[]> rows(int users) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String[]> rows = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            String object = FakeClerkUsers.user(i);
            JsonNode user = json.readTree(object);
            String updatedAt = user.get("updated_at").asText();
            rows.add(new String[] {"backfill:bench:" + user.get("id").asText(), user.get("id").asText(),
                    user.at("/email_addresses/0/email_address").asText(), user.get("first_name").asText(),
                    user.get("last_name").asText(), user.get("username").asText(), user.get("image_url").asText(),
                    user.get("created_at").asText(), updatedAt, updatedAt,
                    "{\"object\":\"event\",\"type\":\"user.backfilled\",\"data\":" + object + "}", object});
        }
        return rows;
    }

    private static void createTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS u, a");
            statement.execute("CREATE TABLE u (id text PRIMARY KEY, email text, first_name text, last_name text, "
                    + "username text, image_url text, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, "
                    + "last_event_at timestamptz, last_event_id text, data jsonb COMPRESSION lz4)");
            statement.execute("CREATE TABLE a (event_id text PRIMARY KEY, subject_id text, outcome text, payload jsonb COMPRESSION lz4)");
            statement.execute("CREATE INDEX ON a (subject_id)");
        }
    }

    private static long backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getLong(1);
        }
    }
}
