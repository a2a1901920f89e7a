package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store (H2) writes the same change events through its Java trigger, cascades included. */
class ChangeEventsEmbeddedTest {

    static final long T1 = 1_730_000_000_000L;

    @TempDir
    Path dataDir;

    @Test
    void the_embedded_store_publishes_seq_1_to_n_per_record_and_one_event_per_cascaded_membership() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        Map<String, String> settings = Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.sync.stores", "postgres",
                "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                "clerk.change-events.exchange", exchange);
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(exchange);
             RunningService service = RunningService.start(settings)) {
            WebhookClient client = service.client();
            String created = ClerkEvents.user("user.created", "user_h2", T1).firstName("One").json();
            client.send("msg_h2_created", created);
            client.send("msg_h2_created", created);
            client.send(ClerkEvents.user("user.updated", "user_h2", T1 + 1000).firstName("Two").json());
            client.send(ClerkEvents.user("user.updated", "user_h2", T1 + 500).json());
            client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_h2", "org_h2", "user_h2", T1).json());
            String delete = WebhookClient.newMessageId();
            client.send(delete, ClerkEvents.deleted("user_h2", T1 + 2000).json());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.firstArrivals("user_h2").size() == 3
                    && queue.firstArrivals("orgmem_h2").size() == 2);

            List<Received> user = queue.firstArrivals("user_h2");
            assertThat(user).extracting(Received::seq).containsExactly(1L, 2L, 3L);
            assertThat(user).extracting(Received::routingKey).containsExactly("user.changed", "user.changed", "user.deleted");
            assertThat(user.get(0).body().get("source_event_id").asText()).isEqualTo("msg_h2_created");
            assertThat(user.get(1).body().get("data").get("first_name").asText()).isEqualTo("Two");
            assertThat(user.get(1).body().get("data").get("data").get("id").asText()).isEqualTo("user_h2");
            assertThat(user.get(0).body().get("occurred_at").asText()).startsWith("2024-10-27T03:33:20");
            Received cascaded = queue.last("orgmem_h2");
            assertThat(cascaded.routingKey()).isEqualTo("organizationMembership.deleted");
            assertThat(cascaded.body().get("source_event_id").asText()).isEqualTo(delete);

            // The backlog gauges run the embedded dialect's queries: all published, none parked (NaN if a query failed).
            WebhookClient management = new WebhookClient(service.managementUrl(), RunningService.SECRET);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(management.request("GET", "/observe/metrics", Map.of(), new byte[0]).body())
                            .contains("clerk_sync_change_events_pending 0.0")
                            .contains("clerk_sync_change_events_oldest_pending_age_seconds 0.0")
                            .contains("clerk_sync_change_events_parked 0.0"));
        }
    }
}
