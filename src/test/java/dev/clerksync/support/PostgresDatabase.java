package dev.clerksync.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on the real PostgreSQL server for one test class, dropped afterwards. The
 * server is found through the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD), by
 * default 127.0.0.1:5432 as postgres. When it cannot be reached the tests are skipped locally,
 * but fail under CI=true: a CI run must never pass without PostgreSQL.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final String name;

    private PostgresDatabase(String host, int port, String name) {
        this.host = host;
        this.port = port;
        this.name = name;
    }

    public static PostgresDatabase create() {
        String host = env("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(env("PGPORT", "5432"));
        String name = "clerk_sync_test_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(adminUrl(host, port), user(), password());
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + host + ":" + port + " as " + user() + ": " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return new PostgresDatabase(host, port, name);
    }

    public String url() {
        return urlThrough(host, port);
    }

    /** The JDBC URL of this database reached through another address (a relay, say). */
    public String urlThrough(String relayHost, int relayPort) {
        return "jdbc:postgresql://" + relayHost + ":" + relayPort + "/" + name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public static String user() {
        return env("PGUSER", "postgres");
    }

    public static String password() {
        return env("PGPASSWORD", "");
    }

    /** Rows as maps from column name to value, in order. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(url(), user(), password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                        row.put(result.getMetaData().getColumnName(c).toLowerCase(Locale.ROOT), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String sql, Object... parameters) {
        return ((Number) query(sql, parameters).get(0).values().iterator().next()).longValue();
    }

    @Override
    public void close() {
        try (Connection admin = DriverManager.getConnection(adminUrl(host, port), user(), password());
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's own "postgres" database, from which test databases are created and dropped. */
    private static String adminUrl(String host, int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/postgres";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
