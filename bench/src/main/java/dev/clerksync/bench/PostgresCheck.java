package dev.clerksync.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;

/** Reads the run's users and audit entries back from PostgreSQL (contract §3) for the comparison. */
final class PostgresCheck {

    private final String jdbcUrl;
    private final String user;

    PostgresCheck(String jdbcUrl, String user) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
    }

    Verification verify(Map<String, ExpectedUser> expected, String userPrefix, String svixPrefix, long auditExpected)
            throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null)) {
            return Verification.compare("postgres", expected, users(connection, userPrefix), auditExpected,
                    auditCount(connection, svixPrefix));
        }
    }

    private static Map<String, ExpectedUser> users(Connection connection, String prefix) throws SQLException {
        Map<String, ExpectedUser> users = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id, first_name, email, updated_at, deleted_at FROM users WHERE starts_with(id, ?)")) {
            query.setString(1, prefix);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    users.put(rows.getString("id"), new ExpectedUser(rows.getString("first_name"),
                            rows.getString("email"), millis(rows.getTimestamp("updated_at")),
                            millis(rows.getTimestamp("deleted_at"))));
                }
            }
        }
        return users;
    }

    private static long auditCount(Connection connection, String prefix) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM audit_log WHERE starts_with(event_id, ?)")) {
            query.setString(1, prefix);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Long millis(Timestamp time) {
        return time == null ? null : time.getTime();
    }
}
