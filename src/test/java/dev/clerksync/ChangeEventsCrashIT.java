package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.support.Concurrently;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitBroker;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.ServiceProcess;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged service killed with SIGKILL while change events wait (committed, not yet
 * published) and while the relay is publishing (some published, not yet marked): after a restart
 * every event is published, in seq order per record; a repeat carries the same id.
 */
class ChangeEventsCrashIT {

    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly().withoutService();

    PostgresDatabase postgres;
    ServiceProcess service;

    @BeforeEach
    void start() {
        postgres = stack.postgres();
        service = new ServiceProcess(Map.of(
                "CLERK_WEBHOOK_SECRET", RunningService.SECRET,
                "DATABASE_URL", postgres.url(),
                "DATABASE_USER", PostgresDatabase.user(),
                "DATABASE_PASSWORD", PostgresDatabase.password(),
                "SYNC_STORES", "postgres",
                "WEBHOOK_RATE_LIMIT", "0",
                "RABBITMQ_URI", RabbitChangeEventsQueue.URI,
                "CHANGE_EVENTS_EXCHANGE", EXCHANGE), Path.of("target", "change-events-crash-service.log")).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (service.isAlive()) {
            service.terminate(Duration.ofSeconds(30));
        }
    }

    @Test
    void changes_committed_but_not_yet_published_when_the_service_is_killed_are_published_after_its_restart() throws Exception {
        UserHistories histories = UserHistories.generate(31, "user_crash_a_", 40, 0.1);
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE)) {
            try {
                RabbitBroker.stopApp();
                assertThat(send(histories.deliveries())).allMatch(status -> status >= 200 && status < 300);
                service.kill();
            } finally {
                RabbitBroker.startApp();
            }
            service.start();

            assertAllPublishedInOrder(queue, "user_crash_a_%");
        }
    }

    @Test
    void events_published_but_not_yet_marked_when_the_service_is_killed_are_published_again_with_the_same_id() throws Exception {
        UserHistories histories = UserHistories.generate(32, "user_crash_b_", 300, 0.1);
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE)) {
            try {
                RabbitBroker.stopApp();
                assertThat(send(histories.deliveries())).allMatch(status -> status >= 200 && status < 300);
            } finally {
                RabbitBroker.startApp();
            }
            // The relay is publishing the backlog: kill it mid-poll.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> queue.all().size() >= 20);
            service.kill();
            service.start();

            assertAllPublishedInOrder(queue, "user_crash_b_%");
        }
    }

    private void assertAllPublishedInOrder(RabbitChangeEventsQueue queue, String pattern) {
        Map<String, Long> applied = ChangeEventsAssertions.appliedChanges(postgres, pattern);
        await().atMost(Duration.ofSeconds(60)).until(() -> applied.entrySet().stream()
                .allMatch(e -> queue.firstArrivals(e.getKey()).size() == e.getValue()));
        ChangeEventsAssertions.assertInSeqOrderEndingWithTheStoredRow(queue, postgres, "users", applied.keySet());
        assertThat(postgres.count("SELECT COUNT(*) FROM change_events WHERE published_at IS NULL")).isZero();
    }

    private List<Integer> send(List<UserHistories.Delivery> deliveries) throws Exception {
        WebhookClient client = new WebhookClient(service.baseUrl(), RunningService.SECRET);
        List<Callable<Integer>> sends = new ArrayList<>();
        for (UserHistories.Delivery delivery : deliveries) {
            sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
        }
        return Concurrently.run(16, sends);
    }
}
