package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.UserHistories.Delivery;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random user histories (a create, updates with increasing updated_at, sometimes a delete at any
 * clock, some deliveries repeated) are delivered shuffled and concurrently over HTTP. Both stores
 * must end in the model's state (newest wins, deleted is final) with one audit entry per svix-id,
 * both audit logs must hold the same outcome for it, and that outcome must be answered exactly once.
 */
class ModelBasedSyncTest {

    static final int USERS = 100;
    static final double DUPLICATE_RATE = 0.15;
    static final int THREADS = 16;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void shuffled_concurrent_histories_end_in_the_model_state(long seed) throws Exception {
        String prefix = "user_s" + seed + "_";
        UserHistories histories = UserHistories.generate(seed, prefix, USERS, DUPLICATE_RATE);
        List<Delivery> deliveries = histories.deliveries();

        WebhookClient client = service.client();
        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        deliveries.forEach(d -> sends.add(() -> {
            decisions.answered(d.svixId(), client.send(d.svixId(), d.payload()));
            return null;
        }));
        Concurrently.run(THREADS, sends);

        Map<String, String> outcomes = decisions.assertAuditedAsAnswered(postgres, mongo);
        System.out.printf("model-based sync: seed=%d users=%d events=%d deliveries=%d duplicates=%d outcomes=%s%n",
                seed, USERS, histories.events(), deliveries.size(), deliveries.size() - histories.events(),
                new TreeMap<>(outcomes.values().stream().collect(Collectors.groupingBy(o -> o, Collectors.counting()))));
        assertThat(outcomes).hasSize(histories.events());
        histories.assertStoresMatch(postgres, mongo, prefix);
    }
}
