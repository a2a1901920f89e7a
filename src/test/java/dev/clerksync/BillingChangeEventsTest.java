package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §12/§9: each applied change of a billing record publishes {@code subscription.changed},
 * {@code subscriptionItem.changed} or {@code paymentAttempt.changed}, with {@code seq} per subject
 * and {@code changed} as for the other kinds; a stale delivery publishes nothing; the payer's
 * erasure is a change of {@code data} alone. On PostgreSQL (triggers) and H2 (Java trigger) alike.
 */
class BillingChangeEventsTest {

    @TempDir
    Path dataDir;

    @Test
    void on_postgresql_billing_changes_are_published_per_subject_in_order() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        try (PostgresDatabase postgres = PostgresDatabase.create();
             RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(exchange);
             RunningService service = RunningService.start(postgres, null, Map.of(
                     "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                     "clerk.change-events.exchange", exchange))) {
            assertPublished(service.client(), queue);
        }
    }

    @Test
    void on_the_embedded_store_billing_changes_are_published_per_subject_in_order() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(exchange);
             RunningService service = RunningService.start(Map.of(
                     "clerk.webhook.secret", RunningService.SECRET,
                     "clerk.data.dir", dataDir.toString(),
                     "clerk.database.url", "",
                     "clerk.sync.stores", "postgres",
                     "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                     "clerk.change-events.exchange", exchange))) {
            assertPublished(service.client(), queue);
        }
    }

    private static void assertPublished(WebhookClient client, RabbitChangeEventsQueue queue) {
        String created = WebhookClient.newMessageId();
        String canceled = WebhookClient.newMessageId();
        List<String> answers = new ArrayList<>();
        answers.add(send(client, created, BillingEvents.example("subscription.created", "chg", "user_chg").toString()));
        answers.add(send(client, canceled, BillingEvents.example("subscriptionItem.canceled", "chg", "user_chg").toString()));
        answers.add(send(client, WebhookClient.newMessageId(),
                BillingEvents.example("subscriptionItem.pastDue", "chg", "user_chg").toString()));
        answers.add(send(client, WebhookClient.newMessageId(),
                BillingEvents.example("paymentAttempt.created", "chg", "user_chg").toString()));
        answers.add(send(client, WebhookClient.newMessageId(),
                BillingEvents.example("paymentAttempt.updated", "chg", "user_chg").toString()));
        answers.add(send(client, WebhookClient.newMessageId(), ClerkEvents.deleted("user_chg", 1_730_000_000_000L).json()));
        assertThat(answers).containsExactly("applied", "applied", "stale", "applied", "applied", "applied");
        client.send(ClerkEvents.user("user.created", "marker_billing", 1_730_000_000_000L).json());
        await().atMost(Duration.ofSeconds(60)).until(() -> !queue.about("marker_billing").isEmpty());

        List<Received> subscription = queue.firstArrivals("csub_chg");
        assertThat(subscription).extracting(Received::routingKey).containsExactly("subscription.changed", "subscription.changed");
        assertThat(subscription).extracting(Received::seq).containsExactly(1L, 2L);
        assertThat(subscription.get(0).body().get("source_event_id").asText()).isEqualTo(created);
        assertThat(subscription.get(0).body().get("data").get("status").asText()).isEqualTo("active");
        assertThat(subscription.get(0).body().get("data").get("organization_id").isNull()).isTrue();
        // The payer's erasure changed data alone.
        assertThat(changed(subscription.get(1))).containsExactly("data");
        assertThat(subscription.get(1).body().get("data").get("data").get("payer").has("email")).isFalse();

        List<Received> item = queue.firstArrivals("csub_item_chg");
        assertThat(item).extracting(Received::routingKey).containsOnly("subscriptionItem.changed");
        // The embedded item, its own .canceled, and the payer's erasure (the .canceled carried the payer).
        assertThat(item).extracting(Received::seq).containsExactly(1L, 2L, 3L);
        assertThat(item.get(0).body().get("source_event_id").asText()).isEqualTo(created);
        assertThat(item.get(0).body().get("data").get("is_free_trial").isBoolean()).isTrue();
        assertThat(item.get(1).body().get("source_event_id").asText()).isEqualTo(canceled);
        assertThat(changed(item.get(1))).contains("status", "updated_at", "last_event_at", "last_event_id", "data")
                .doesNotContain("plan_id", "period_start", "subscription_id");
        assertThat(changed(item.get(2))).containsExactly("data");

        List<Received> payment = queue.firstArrivals("pa_chg");
        assertThat(payment).extracting(Received::routingKey).containsOnly("paymentAttempt.changed");
        assertThat(payment).extracting(Received::seq).containsExactly(1L, 2L, 3L);
        assertThat(payment.get(0).body().get("data").get("amount").asLong()).isEqualTo(2200L);
        assertThat(changed(payment.get(1))).contains("status", "paid_at").doesNotContain("amount", "payment_id");
        assertThat(changed(payment.get(2))).containsExactly("data");
    }

    private static String send(WebhookClient client, String svixId, String payload) {
        return client.send(svixId, payload).field("status");
    }

    private static List<String> changed(Received event) {
        List<String> columns = new ArrayList<>();
        event.body().get("changed").forEach(column -> columns.add(column.asText()));
        return columns;
    }
}
