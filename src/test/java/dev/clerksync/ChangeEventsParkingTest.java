package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A poison event (the broker refuses it every time) is parked after the configured attempts; its
 * record's later events wait, every other record's go on; the metrics show it.
 */
class ChangeEventsParkingTest {

    static final long T1 = 1_730_000_000_000L;
    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE)
            .with("clerk.change-events.max-attempts", "3");

    final PostgresDatabase postgres = stack.postgres();
    final WebhookClient client = stack.client();

    @Test
    void an_event_the_broker_refuses_is_parked_for_its_record_only_and_counted_in_the_metrics() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(RabbitChangeEventsQueue.URI);
        String refusing = "clerk-sync-test-refusing-" + EXCHANGE;
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE);
             Connection connection = factory.newConnection();
             Channel channel = connection.createChannel()) {
            // A full queue that rejects new messages makes the broker nack every organization.changed.
            channel.queueDeclare(refusing, false, false, true, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
            channel.queueBind(refusing, EXCHANGE, "organization.changed");

            client.send(OrganizationEvents.organization("organization.created", "org_poison", T1).json());
            client.send(OrganizationEvents.organizationDeleted("org_poison", T1 + 1000).json());
            client.send(ClerkEvents.user("user.created", "user_after_poison", T1).json());

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    postgres.count("SELECT COUNT(*) FROM change_events WHERE subject = 'org_poison' AND parked_at IS NOT NULL") == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> !queue.about("user_after_poison").isEmpty());
            // A nack means some queue refused it: the other queues may hold copies of seq 1, never seq 2.
            assertThat(queue.about("org_poison")).as("the parked event's later seq waits")
                    .allSatisfy(received -> assertThat(received.seq()).isEqualTo(1));
            assertThat(postgres.query("SELECT seq, attempts FROM change_events WHERE subject = 'org_poison' ORDER BY seq"))
                    .extracting(row -> ((Number) row.get("attempts")).intValue()).containsExactly(3, 0);

            WebhookClient management = new WebhookClient(stack.service().managementUrl(), RunningService.SECRET);
            Response metrics = management.request("GET", "/observe/metrics", Map.of(), new byte[0]);
            assertThat(metrics.body()).contains("clerk_sync_change_events_parked 1.0")
                    .contains("clerk_sync_change_events_pending 1.0")
                    .contains("clerk_sync_change_events_oldest_pending_age_seconds");
        }
    }
}
