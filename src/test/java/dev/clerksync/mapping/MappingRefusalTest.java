package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.support.AppTables;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mapping that cannot work stops the service before its webhook port opens, with one line
 * naming the file, the mapping's id and the problem (a configuration error: exit status 2).
 */
class MappingRefusalTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static final String USERS = """
            mappings:
              - id: app-users
                record: user
                postgres:
                  table: User
                  key: clerkId
                  columns: {email: email}
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void tables() {
        AppTables.create(stack.postgres(), stack.mongo());
    }

    @Test
    void bad_yaml() throws IOException {
        assertRefused(write("app.yaml", "mappings:\n  - id: app-users\n    record: [user\n"), "app.yaml", "(no id)", "not valid YAML");
    }

    @Test
    void duplicate_id_across_files() throws IOException {
        write("a.yaml", USERS);
        assertRefused(write("b.yml", USERS), "b.yml", "app-users", "duplicate id");
    }

    @Test
    void unknown_record() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("record: user", "record: person")), "app.yaml", "app-users",
                "unknown record 'person'");
    }

    @Test
    void unknown_source() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("{email: email}", "{email: mail}")), "app.yaml", "app-users",
                "unknown source 'mail'");
    }

    @Test
    void unknown_key_in_a_mapping() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("columns:", "colums:")), "app.yaml", "app-users", "unknown key 'colums'");
    }

    @Test
    void table_that_does_not_exist() throws IOException {
        // Names are taken as written: user is not "User".
        assertRefused(write("app.yaml", USERS.replace("table: User", "table: user")), "app.yaml", "app-users",
                "table user does not exist");
    }

    @Test
    void column_that_does_not_exist() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("{email: email}", "{mail: email}")), "app.yaml", "app-users",
                "column 'mail' does not exist");
    }

    @Test
    void keep_with_a_not_null_column() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("{email: email}", "{email: email, createdAt: created_at}\n      on-delete: keep")),
                "app.yaml", "app-users", "column 'createdAt' of table User is NOT NULL, but on-delete: keep");
    }

    @Test
    void key_without_a_unique_index() throws IOException {
        assertRefused(write("app.yaml", USERS.replace("key: clerkId", "key: email").replace("{email: email}", "{}")),
                "app.yaml", "app-users", "no unique index or constraint");
    }

    @Test
    void mongodb_key_without_a_unique_index() throws IOException {
        String yaml = USERS.replace("""
                    postgres:
                      table: User
                      key: clerkId
                      columns: {email: email}
                """, """
                    mongodb:
                      collection: app_people
                      key: clerkId
                      fields: {email: email}
                """);
        assertRefused(write("app.yaml", yaml), "app.yaml", "app-users", "no unique index in collection app_people");
    }

    @Test
    void mongodb_target_without_the_document_store() throws IOException {
        Path file = write("app.yaml", USERS + """
                    mongodb:
                      collection: app_users
                      key: clerkId
                      fields: {email: email}
                """);
        assertRefused(RunningService.storeSettings(stack.postgres(), null), file, "app.yaml", "app-users",
                "the document store is not configured");
    }

    @Test
    void postgres_target_without_the_relational_store() throws IOException {
        assertRefused(RunningService.storeSettings(null, stack.mongo()), write("app.yaml", USERS), "app.yaml", "app-users",
                "the relational store is not configured");
    }

    @Test
    void a_refused_start_leaves_no_connection_open() throws IOException {
        String connections = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()";
        long before = stack.postgres().count(connections);
        Path file = write("app.yaml", USERS.replace("table: User", "table: Nowhere"));
        for (int start = 0; start < 3; start++) {
            assertRefused(file, "app.yaml", "app-users", "does not exist");
        }
        // Each start opened a pool of connections; a refused one must close it (shared servers run out).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.postgres().count(connections)).isEqualTo(before));
    }

    private Path write(String name, String text) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("mappings"));
        return Files.writeString(folder.resolve(name), text);
    }

    private void assertRefused(Path file, String fileName, String id, String problem) {
        assertRefused(RunningService.storeSettings(stack.postgres(), stack.mongo()), file, fileName, id, problem);
    }

    private void assertRefused(Map<String, String> stores, Path file, String fileName, String id, String problem) {
        Map<String, String> settings = new HashMap<>(stores);
        settings.put("clerk.mappings.dir", file.getParent().toString());
        Throwable failure = catchThrowable(() -> RunningService.start(settings).close());
        InvalidConfigurationException invalid = InvalidConfigurationException.findIn(failure);
        assertThat(invalid).as("a configuration error, not %s", failure).isNotNull();
        assertThat(invalid.getMessage()).doesNotContain("\n").contains(fileName)
                .contains(id.equals("(no id)") ? id : "'" + id + "'").contains(problem);
    }

}
