package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/editing-routes.md (an application's own "User" table), taken from that page
 * itself and run against real PostgreSQL, so that the example keeps working.
 */
class CustomUserTableTest {

    static final Pattern YAML_STEPS = Pattern.compile("```yaml\\n(        - to: direct:deliver\\n.*?)```", Pattern.DOTALL);
    static final Pattern SQL = Pattern.compile("```sql\\n(INSERT INTO \"User\".*?)```", Pattern.DOTALL);

    /** The database only: the service starts from an edited copy of the project, in the test. */
    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly().withoutService();

    @TempDir
    Path project;

    @Test
    void the_documented_example_keeps_an_existing_user_table_in_step() throws Exception {
        String page = Files.readString(Path.of("docs", "editing-routes.md"));
        String steps = first(YAML_STEPS, page);
        String statement = first(SQL, page);
        copyProject();
        Path routes = project.resolve("routes/user-events.camel.yaml");
        String userEvents = Files.readString(routes);
        String upsertRoute = userEvents.substring(userEvents.indexOf("id: user-upsert"), userEvents.indexOf("id: user-delete"));
        Files.writeString(routes, userEvents.replace(upsertRoute, upsertRoute.replace("        - to: direct:deliver\n", steps)));
        Path sqlFile = project.resolve("my-user-table.sql");
        Files.writeString(sqlFile, statement);

        PostgresDatabase postgres = stack.postgres();
        try (Connection connection = DriverManager.getConnection(postgres.url(), PostgresDatabase.user(), PostgresDatabase.password())) {
            connection.createStatement().execute(
                    "CREATE TABLE \"User\" (\"clerkId\" text PRIMARY KEY, \"email\" text, \"firstName\" text)");
        }
        Map<String, String> settings = new HashMap<>(RunningService.storeSettings(postgres, null));
        // the page's step reads my-user-table.sql from the working directory: here, the copy
        Files.writeString(routes, Files.readString(routes).replace("sql:file:my-user-table.sql", "sql:file:" + sqlFile));
        try (RunningService service = RunningService.startFrom(project, settings)) {
            WebhookClient client = service.client();
            client.send(ClerkEvents.user("user.created", "user_own_table", 1_000_000L).firstName("Ada").json());
            client.send(ClerkEvents.user("user.updated", "user_own_table", 2_000_000L).firstName("Augusta").json());
            client.send(ClerkEvents.user("user.updated", "user_own_table", 1_500_000L).firstName("Stale").json());
        }
        assertThat(postgres.query("SELECT \"email\", \"firstName\" FROM \"User\" WHERE \"clerkId\" = 'user_own_table'"))
                .containsExactly(Map.of("email", "user_own_table@example.com", "firstname", "Augusta"));
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("the example of docs/editing-routes.md " + pattern).isTrue();
        return matcher.group(1);
    }

    private void copyProject() throws IOException {
        Files.createDirectories(project.resolve("routes"));
        Files.copy(Path.of("application.properties"), project.resolve("application.properties"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, project.resolve("routes").resolve(file.getFileName()));
            }
        }
    }
}
