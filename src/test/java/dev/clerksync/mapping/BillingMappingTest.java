package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.AppTables;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped billing example (examples/mappings/prisma-billing.*, with prisma-user.*): a
 * {@code record: subscriptionItem} mapping keeps the application's "SubscriptionItem" rows current,
 * in order, and the application's trigger derives "User"."plan" from them.
 */
class BillingMappingTest {

    @TempDir
    Path mappings;

    @Test
    void a_subscription_item_mapping_keeps_the_users_plan_current() throws Exception {
        for (String example : List.of("prisma-user.yaml", "prisma-billing.yaml")) {
            Files.copy(Path.of("examples/mappings", example), mappings.resolve(example));
        }
        try (PostgresDatabase postgres = PostgresDatabase.create();
             MongoTestServer mongo = MongoTestServer.start()) {
            AppTables.execute(postgres, Files.readString(Path.of("examples/mappings/prisma-user.sql")));
            AppTables.execute(postgres, Files.readString(Path.of("examples/mappings/prisma-billing.sql")));
            Map<String, String> settings = new HashMap<>();
            settings.put("clerk.mappings.dir", mappings.toString());
            try (RunningService service = RunningService.start(postgres, mongo, settings)) {
                WebhookClient client = service.client();
                assertThat(client.send(ClerkEvents.user("user.created", "user_plan", 1_716_000_000_000L).json())
                        .field("status")).isEqualTo("applied");
                assertThat(plan(postgres)).isEqualTo("free");

                ObjectNode active = BillingEvents.example("subscriptionItem.active", "plan", "user_plan");
                ((ObjectNode) active.get("data").get("plan")).put("slug", "pro-plan");
                assertThat(client.send(active.toString()).field("status")).isEqualTo("applied");
                assertThat(postgres.query("SELECT \"userId\", \"plan\", \"status\" FROM \"SubscriptionItem\" "
                        + "WHERE \"clerkId\" = 'csub_item_plan'"))
                        .containsExactly(Map.of("userid", "user_plan", "plan", "pro-plan", "status", "active"));
                assertThat(plan(postgres)).isEqualTo("pro-plan");

                assertThat(send(client, "subscriptionItem.canceled")).isEqualTo("applied");
                // The published .pastDue has the .canceled's clock: stale, the row stays canceled.
                assertThat(send(client, "subscriptionItem.pastDue")).isEqualTo("stale");
                assertThat(postgres.query("SELECT \"status\" FROM \"SubscriptionItem\" WHERE \"clerkId\" = 'csub_item_plan'"))
                        .containsExactly(Map.of("status", "canceled"));
                assertThat(plan(postgres)).isEqualTo("free");
            }
        }
    }

    private static String send(WebhookClient client, String type) {
        return client.send(BillingEvents.example(type, "plan", "user_plan").toString()).field("status");
    }

    private static String plan(PostgresDatabase postgres) {
        return (String) postgres.query("SELECT \"plan\" FROM \"User\" WHERE \"clerkId\" = 'user_plan'").get(0).get("plan");
    }
}
