package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change events to RabbitMQ (docs/change-events.md): one event per applied change, none for a duplicate,
 * stale or ignored delivery, per record seq 1..n published in order, the record's stored row as
 * the last event's data; cascades publish one event per membership.
 */
class ChangeEventsRabbitTest {

    static final long T1 = 1_730_000_000_000L;
    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();
    static final Duration PUBLISHED = Duration.ofSeconds(30);

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE);

    static RabbitChangeEventsQueue queue;

    final PostgresDatabase postgres = stack.postgres();
    final WebhookClient client = stack.client();

    @BeforeAll
    static void bindQueue() throws Exception {
        queue = RabbitChangeEventsQueue.on(EXCHANGE);
    }

    @AfterAll
    static void deleteQueue() throws Exception {
        queue.close();
    }

    @Test
    void each_applied_change_is_published_once_with_the_body_properties_and_headers_of_the_contract() {
        String created = WebhookClient.newMessageId();
        String updated = WebhookClient.newMessageId();
        String createdJson = ClerkEvents.user("user.created", "user_ce1", T1).firstName("Ada").json();
        client.send(created, createdJson);
        client.send(updated, ClerkEvents.user("user.updated", "user_ce1", T1 + 1000).firstName("Grace").json());
        client.send(created, createdJson); // duplicate
        assertThat(client.send(ClerkEvents.user("user.updated", "user_ce1", T1 + 500).json()).field("status"))
                .isEqualTo("stale");
        assertThat(client.send(ClerkEvents.fixture("session.created.json")).field("status")).isEqualTo("ignored");
        client.send(ClerkEvents.user("user.created", "user_ce1_marker", T1).json());

        await().atMost(PUBLISHED).until(() -> !queue.about("user_ce1_marker").isEmpty());

        List<Received> events = queue.firstArrivals("user_ce1");
        assertThat(events).extracting(Received::seq).containsExactly(1L, 2L);
        Received first = events.get(0);
        assertThat(first.routingKey()).isEqualTo("user.changed");
        assertThat(first.messageId()).isEqualTo(first.id());
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(first.deliveryMode()).isEqualTo(2);
        assertThat(first.headers()).containsEntry("type", "user.changed").containsEntry("subject", "user_ce1")
                .containsEntry("seq", "1").doesNotContainKey("traceparent"); // traces are off unless OTEL_* turn them on
        assertThat(first.body().fieldNames()).toIterable()
                .containsExactly("id", "type", "subject", "seq", "occurred_at", "source_event_id", "changed", "data");
        assertThat(first.body().get("source_event_id").asText()).isEqualTo(created);
        assertThat(first.body().get("occurred_at").asText()).startsWith("2024-10-27T03:33:20");
        assertThat(first.body().get("data").get("first_name").asText()).isEqualTo("Ada");
        Received second = events.get(1);
        assertThat(second.body().get("source_event_id").asText()).isEqualTo(updated);
        assertThat(second.body().get("data").get("first_name").asText()).isEqualTo("Grace");
        assertThat(second.body().get("data").get("data").get("id").asText()).isEqualTo("user_ce1");
        // changed: every column set for the first change; then what the update altered, not the email it kept.
        assertThat(first.body().get("changed")).extracting(JsonNode::asText).contains("id", "email", "first_name", "data");
        assertThat(second.body().get("changed")).extracting(JsonNode::asText).contains("first_name")
                .doesNotContain("id", "email", "created_at");
    }

    @Test
    void a_deleted_user_is_published_as_user_deleted_with_its_tombstone() {
        client.send(ClerkEvents.user("user.created", "user_ce_del", T1).json());
        client.send(ClerkEvents.deleted("user_ce_del", T1 + 1000).json());

        await().atMost(PUBLISHED).until(() -> queue.firstArrivals("user_ce_del").size() == 2);

        Received deleted = queue.last("user_ce_del");
        assertThat(deleted.routingKey()).isEqualTo("user.deleted");
        assertThat(deleted.body().get("data").get("deleted_at").isNull()).isFalse();
        assertThat(deleted.body().get("data").get("first_name").isNull()).isTrue();
        assertThat(deleted.body().get("data").get("data").isNull()).isTrue();
    }

    @Test
    void an_organization_delete_publishes_one_membership_deleted_event_per_membership_it_cascades_to() {
        for (int i = 1; i <= 3; i++) {
            client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_ce" + i, "org_ce",
                    "user_ce_m" + i, T1).json());
        }
        client.send(OrganizationEvents.organization("organization.created", "org_ce", T1).json());
        String delete = WebhookClient.newMessageId();
        client.send(delete, OrganizationEvents.organizationDeleted("org_ce", T1 + 1000).json());

        await().atMost(PUBLISHED).until(() -> queue.firstArrivals("org_ce").size() == 2
                && LongStream.rangeClosed(1, 3).allMatch(i -> queue.firstArrivals("orgmem_ce" + i).size() == 2));

        for (int i = 1; i <= 3; i++) {
            Received cascaded = queue.last("orgmem_ce" + i);
            assertThat(cascaded.routingKey()).isEqualTo("organizationMembership.deleted");
            assertThat(cascaded.seq()).isEqualTo(2);
            assertThat(cascaded.body().get("source_event_id").asText()).isEqualTo(delete);
            assertThat(cascaded.body().get("data").get("organization_id").asText()).isEqualTo("org_ce");
        }
        assertThat(queue.last("org_ce").routingKey()).isEqualTo("organization.deleted");
    }

    @Test
    void a_shuffled_stream_with_duplicates_at_concurrency_16_publishes_seq_1_to_n_per_user_in_order() throws Exception {
        UserHistories histories = UserHistories.generate(1313, "user_ces_", 60, 0.3);
        List<Callable<Integer>> sends = new ArrayList<>();
        for (UserHistories.Delivery delivery : histories.deliveries()) {
            sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
        }
        assertThat(Concurrently.run(16, sends)).allMatch(status -> status >= 200 && status < 300);

        Map<String, Long> applied = ChangeEventsAssertions.appliedChanges(postgres, "user_ces_%");
        await().atMost(PUBLISHED).until(() -> applied.entrySet().stream()
                .allMatch(e -> queue.firstArrivals(e.getKey()).size() == e.getValue()));

        ChangeEventsAssertions.assertInSeqOrderEndingWithTheStoredRow(queue, postgres, "users", applied.keySet());
    }
}
