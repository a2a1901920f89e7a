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
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas on the same stores: deliveries reach both, one relay publishes (the advisory lock),
 * so each event is published once, in seq order per record.
 */
class ChangeEventsTwoInstancesTest {

    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly().instances(2)
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE);

    final PostgresDatabase postgres = stack.postgres();

    @Test
    void two_instances_on_the_same_stores_publish_each_event_once_in_seq_order() throws Exception {
        UserHistories histories = UserHistories.generate(2, "user_two_", 50, 0.3);
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE)) {
            List<Callable<Integer>> sends = new ArrayList<>();
            int i = 0;
            for (UserHistories.Delivery delivery : histories.deliveries()) {
                var client = stack.service(i++ % 2).client();
                sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
            }
            assertThat(Concurrently.run(16, sends)).allMatch(status -> status >= 200 && status < 300);

            Map<String, Long> applied = ChangeEventsAssertions.appliedChanges(postgres, "user_two_%");
            await().atMost(Duration.ofSeconds(30)).until(() -> applied.entrySet().stream()
                    .allMatch(e -> queue.firstArrivals(e.getKey()).size() == e.getValue()));

            ChangeEventsAssertions.assertInSeqOrderEndingWithTheStoredRow(queue, postgres, "users", applied.keySet());
            List<String> ids = queue.all().stream().map(Received::id).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids).hasSize((int) applied.values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
