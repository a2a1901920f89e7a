package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.CommandLines;
import dev.clerksync.remap.RemapMain;
import dev.clerksync.support.AppTables;
import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.MappedTargets;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mapping added after the records arrived is filled by {@code remap}, idempotently, keeping the
 * application's ids and columns; and {@code backfill} fills mapped targets as it fills clerk-sync's own.
 */
class MappingRemapTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static Path mappings;

    @BeforeAll
    static void tables() throws Exception {
        AppTables.create(stack.postgres(), stack.mongo());
        mappings = AppTables.folder(Files.createTempDirectory("mappings-remap"), AppTables.MAPPINGS);
    }

    @Test
    void remap_rebuilds_mapped_targets_from_the_own_tables() throws Exception {
        // Deliveries while no mapping exists.
        long t = 1_700_000_000_000L;
        try (RunningService service = RunningService.start(stack.postgres(), stack.mongo(), Map.of())) {
            WebhookClient client = service.client();
            client.send("msg_r1", ClerkEvents.user("user.created", "user_r1", t).firstName("Ada").json());
            client.send("msg_r2", ClerkEvents.user("user.created", "user_r2", t).json());
            client.send("msg_r3", ClerkEvents.deleted("user_r2", t + 10).json());
            client.send("msg_r4", ClerkEvents.user("user.created", "user_r3", t).json());
        }
        // The application had rows already: one of its own for a live user, one for the deleted user.
        AppTables.execute(stack.postgres(), """
                INSERT INTO "User" ("id", "clerkId", "email", "plan") VALUES (42, 'user_r1', 'old@example.com', 'pro');
                INSERT INTO "User" ("clerkId", "email") VALUES ('user_r2', 'gone@example.com');
                """);

        Result first = remap();
        assertThat(first.status).as(first.err).isZero();
        assertThat(first.summary.path("mappings").path("app-users").path("written").asLong())
                .as("every live user: these two and any other test's").isGreaterThanOrEqualTo(2);
        assertThat(first.summary.path("mappings").path("app-users").path("deleted").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(first.err).contains("remap app-users");
        MappedTargets.assertMatch(stack.postgres(), stack.mongo(), "user_r");
        assertThat(stack.postgres().query("SELECT \"id\", \"plan\" FROM \"User\" WHERE \"clerkId\" = 'user_r1'"))
                .containsExactly(Map.of("id", 42, "plan", "pro"));

        Result again = remap();
        assertThat(again.status).isZero();
        MappedTargets.assertMatch(stack.postgres(), stack.mongo(), "user_r");
        assertThat(stack.postgres().count("SELECT count(*) FROM \"User\" WHERE \"clerkId\" LIKE 'user_r%'")).isEqualTo(2);

        assertThat(remap("--mapping", "app-users").status).isZero();
        assertThat(remap("--mapping", "nope").status).isEqualTo(2);
        assertThat(remap("--bogus").status).isEqualTo(2);
    }

    @Test
    void backfill_fills_mapped_targets() {
        try (FakeClerkApi clerk = FakeClerkApi.start()) {
            List<String> users = clerk.generateUsers("bf", 30);
            Map<String, String> settings = Map.of("clerk.mappings.dir", mappings.toString());
            BackfillRunner.Run run = new BackfillRunner(stack.postgres(), stack.mongo(), clerk, settings).run("--users");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(stack.postgres().count("SELECT count(*) FROM \"User\" WHERE \"clerkId\" LIKE 'user_bf%'"))
                    .isEqualTo(users.size());
            MappedTargets.assertMatch(stack.postgres(), stack.mongo(), "user_bf");
        }
    }

    record Result(int status, String err, JsonNode summary) {
    }

    private static Result remap(String... args) throws Exception {
        Map<String, String> settings = new HashMap<>(RunningService.storeSettings(stack.postgres(), stack.mongo()));
        settings.put("clerk.mappings.dir", mappings.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = CommandLines.execute(new RemapMain(Path.of(""), settings, outStream, errStream), List.of(args), outStream, errStream);
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return new Result(status, err.toString(StandardCharsets.UTF_8), new ObjectMapper().readTree(lines[lines.length - 1]));
    }
}
