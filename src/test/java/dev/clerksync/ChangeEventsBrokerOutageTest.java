package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.support.Concurrently;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitBroker;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks never depend on the broker: with RabbitMQ stopped mid-stream every delivery is still
 * answered 2xx, its events wait in the outbox, and once RabbitMQ is back every event is published,
 * in seq order per record.
 */
class ChangeEventsBrokerOutageTest {

    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE)
            .with("clerk.change-events.confirm-timeout-ms", "2000");

    final PostgresDatabase postgres = stack.postgres();
    final WebhookClient client = stack.client();

    @Test
    void a_broker_stopped_mid_stream_delays_the_events_and_loses_none_and_reorders_none() throws Exception {
        UserHistories histories = UserHistories.generate(4242, "user_out_", 40, 0.2);
        List<UserHistories.Delivery> deliveries = histories.deliveries();
        int half = deliveries.size() / 2;
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE)) {
            assertThat(send(deliveries.subList(0, half))).allMatch(status -> status >= 200 && status < 300);
            try {
                RabbitBroker.stopApp();
                assertThat(send(deliveries.subList(half, deliveries.size()))).allMatch(status -> status >= 200 && status < 300);
                assertThat(postgres.count("SELECT COUNT(*) FROM change_events WHERE published_at IS NULL")).isPositive();
            } finally {
                RabbitBroker.startApp();
            }

            Map<String, Long> applied = ChangeEventsAssertions.appliedChanges(postgres, "user_out_%");
            await().atMost(Duration.ofSeconds(60)).until(() -> applied.entrySet().stream()
                    .allMatch(e -> queue.firstArrivals(e.getKey()).size() == e.getValue()));
            ChangeEventsAssertions.assertInSeqOrderEndingWithTheStoredRow(queue, postgres, "users", applied.keySet());
            assertThat(postgres.count("SELECT COUNT(*) FROM change_events WHERE published_at IS NULL")).isZero();
        }
    }

    private List<Integer> send(List<UserHistories.Delivery> deliveries) throws Exception {
        List<Callable<Integer>> sends = new ArrayList<>();
        for (UserHistories.Delivery delivery : deliveries) {
            sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
        }
        return Concurrently.run(16, sends);
    }
}
