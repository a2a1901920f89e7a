package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.UserHistories.Delivery;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random user histories (a create, updates with increasing updated_at, sometimes a delete at any
 * clock, some deliveries repeated) are delivered shuffled and concurrently over HTTP. Both stores
 * must end in the model's state (newest wins, deleted is final) with one audit entry per svix-id.
 */
class ModelBasedSyncTest {

    static final int USERS = 100;
    static final double DUPLICATE_RATE = 0.15;
    static final int THREADS = 8;

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
        List<Callable<Response>> sends = new ArrayList<>();
        deliveries.forEach(d -> sends.add(() -> client.send(d.svixId(), d.payload())));
        List<Response> responses = Concurrently.run(THREADS, sends);

        System.out.printf("model-based sync: seed=%d users=%d events=%d deliveries=%d duplicates=%d%n",
                seed, USERS, histories.events(), deliveries.size(), deliveries.size() - histories.events());
        assertThat(responses).extracting(Response::status).containsOnly(200);
        histories.assertStoresMatch(postgres, mongo, prefix);
    }
}
