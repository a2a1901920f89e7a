package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.ServiceProcess;
import dev.clerksync.support.SvixLikeSender;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three replicas of the packaged jar on the same stores, one shuffled stream with repeats sent
 * across them as a load balancer would, and one replica killed (SIGKILL) mid-stream: every delivery
 * ends 2xx, each svix-id is answered with its outcome at most once (once, unless the killed replica
 * completed it and died before answering), both stores audit it alike, and both end in the model's
 * state. Nothing but the stores' keys and guarded writes coordinates the replicas.
 */
class ReplicasIT {

    static final int REPLICAS = 3;
    static final int USERS = 150;
    static final long SPACING_MICROS = 2_000;
    static final Duration STREAM_LIMIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final List<ServiceProcess> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() throws Exception {
        for (ServiceProcess replica : replicas) {
            if (replica.isAlive()) {
                replica.terminate(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void a_stream_across_three_replicas_with_one_killed_is_applied_once_and_answered_once() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("CLERK_WEBHOOK_SECRET", RunningService.SECRET);
        environment.put("DATABASE_URL", postgres.url());
        environment.put("DATABASE_USER", PostgresDatabase.user());
        environment.put("DATABASE_PASSWORD", PostgresDatabase.password());
        environment.put("MONGODB_URI", mongo.uri());
        environment.put("MONGODB_DATABASE", mongo.databaseName());
        environment.put("WEBHOOK_RATE_LIMIT", "0");
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(new ServiceProcess(environment, Path.of("target", "replica-" + i + ".log")).start());
        }
        UserHistories histories = UserHistories.generate(21, "user_rep_", USERS, 0.1);
        int total = histories.deliveries().size();
        Decisions decisions = new Decisions();

        try (SvixLikeSender sender = new SvixLikeSender(replicas.stream().map(ServiceProcess::baseUrl).toList(), 16, decisions)) {
            CountDownLatch done = sender.deliver(histories.deliveries(), SPACING_MICROS);
            await().atMost(STREAM_LIMIT).pollInterval(Duration.ofMillis(20)).until(() -> sender.accepted() >= total / 3);
            replicas.get(1).kill();

            assertThat(SvixLikeSender.await(done, STREAM_LIMIT)).as("every delivery accepted in the end").isTrue();
            System.out.printf("replicas: %d replicas, one killed at a third; deliveries=%d svix-ids=%d attempts=%d "
                            + "statuses=%s svix-ids answered with their outcome=%d%n", REPLICAS, total, histories.events(),
                    sender.attempts(), sender.statuses(), decisions.withOutcomeAnswer());
        }
        decisions.assertAtMostOneOutcomeAndStoresAgree(postgres, mongo);
        histories.assertStoresMatch(postgres, mongo, "user_rep_");
    }
}
