package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import dev.clerksync.support.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL migrations leave in a new database, beyond what the behaviour tests see. */
class PostgresMigrationsTest {

    @Test
    void the_tables_no_mapping_may_write_are_every_table_the_migrations_create() {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Flyway.configure().dataSource(database.url(), PostgresDatabase.user(), PostgresDatabase.password())
                    .locations("classpath:db/migration/postgresql").table("clerk_sync_schema_history").load().migrate();

            assertThat(database.query("SELECT table_name AS \"name\" FROM information_schema.tables WHERE table_schema = 'public'"))
                    .extracting(row -> (String) row.get("name"))
                    .containsExactlyInAnyOrderElementsOf(OwnTables.NAMES);
        }
    }

    @Test
    void the_json_columns_are_compressed_with_lz4_where_the_server_has_it() throws SQLException {
        try (PostgresDatabase database = PostgresDatabase.create()) {
            Flyway.configure().dataSource(database.url(), PostgresDatabase.user(), PostgresDatabase.password())
                    .locations("classpath:db/migration/postgresql").table("clerk_sync_schema_history").load().migrate();

            String expected = serverHasLz4(database) ? "l" : "";
            assertThat(database.query("SELECT attrelid::regclass::text AS \"table\", attname AS \"column\", "
                    + "attcompression::text AS \"compression\" FROM pg_attribute "
                    + "WHERE attname IN ('payload', 'data') AND attrelid::regclass::text IN "
                    + "('audit_log', 'users', 'organizations', 'organization_memberships', 'change_events') ORDER BY 1"))
                    .hasSize(5)
                    .allSatisfy(column -> assertThat(column).containsEntry("compression", expected));
        }
    }

    private static boolean serverHasLz4(PostgresDatabase database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.url(), PostgresDatabase.user(), PostgresDatabase.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE lz4_probe (j jsonb COMPRESSION lz4)");
            return true;
        } catch (SQLException e) {
            if ("0A000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
