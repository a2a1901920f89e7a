package dev.clerksync.store.relational;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.clerksync.ClerkSyncSettings;
import dev.clerksync.InvalidConfigurationException;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * The relational store: PostgreSQL when {@code DATABASE_URL} is set, otherwise an embedded H2
 * database file under the data directory. Opening it migrates the schema (Flyway, per dialect);
 * stopping the Camel context closes the pool.
 */
public final class SqlStore extends ServiceSupport {

    static final String POSTGRESQL = "postgresql";
    static final String H2 = "h2";

    private final HikariDataSource dataSource;
    private final String dialect;
    private final String description;

    private SqlStore(HikariDataSource dataSource, String dialect, String description) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.description = description;
    }

    public static SqlStore open(ClerkSyncSettings settings) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setPoolName("clerk-sync-sql");
        config.setMaximumPoolSize(settings.databasePoolSize());
        config.setConnectionTimeout(settings.databaseConnectionTimeoutMs());
        String dialect;
        if (settings.databaseUrl().isEmpty()) {
            Path dir = settings.dataDir().toAbsolutePath();
            Files.createDirectories(dir);
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("clerk-sync") + ";DB_CLOSE_ON_EXIT=FALSE");
            dialect = H2;
        } else if (settings.databaseUrl().startsWith("jdbc:postgresql:")) {
            config.setJdbcUrl(settings.databaseUrl());
            dialect = POSTGRESQL;
        } else {
            throw new InvalidConfigurationException("DATABASE_URL must be a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:5432/database), or unset for the embedded database");
        }
        if (!settings.databaseUser().isEmpty()) {
            config.setUsername(settings.databaseUser());
        }
        if (!settings.databasePassword().isEmpty()) {
            config.setPassword(settings.databasePassword());
        }
        if (settings.publishesChangeEvents() && dialect.equals(H2)) {
            // The change-event triggers write the outbox only on connections that say so (migration
            // V6); PostgreSQL's transactions say so one by one (RelationalDecider), H2 lives in this process.
            config.setConnectionInitSql(SqlFile.load("sql/h2/change-events-on.sql").jdbcText());
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + dialect)
                    // The database is often the application's own: keep clerk-sync's migration history
                    // apart from the application's, and do not refuse a schema that has other tables.
                    .table("clerk_sync_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new SqlStore(dataSource, dialect, dialect + " " + withoutCredentials(config.getJdbcUrl()));
    }

    /** A JDBC URL as it may be logged: without a password given in its query string. */
    static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /** For the readiness check: a pooled connection that the server still answers on. */
    public boolean isReachable() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String dialect() {
        return dialect;
    }

    /** PostgreSQL, not the embedded database. */
    public boolean isPostgresql() {
        return dialect.equals(POSTGRESQL);
    }

    public String description() {
        return description;
    }

    @Override
    protected void doStop() {
        close();
    }

    /** Closes the pool: also for a store opened but never started, when start-up fails after it opened. */
    public void close() {
        dataSource.close();
    }
}
