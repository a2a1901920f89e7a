package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random user histories (a create, updates with increasing updated_at, sometimes a delete at any
 * clock, some deliveries repeated) are delivered shuffled and concurrently over HTTP. Both stores
 * must end in the model's state (newest wins, deleted is final) with one audit entry per svix-id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelBasedSyncTest {

    static final int USERS = 100;
    static final int MAX_UPDATES = 5;
    static final double DELETE_RATE = 0.3;
    static final double DUPLICATE_RATE = 0.15;
    static final int THREADS = 8;
    static final long EPOCH = 1_730_000_000_000L;

    PostgresDatabase postgres;
    MongoTestServer mongo;
    RunningService service;

    @BeforeAll
    void start() {
        postgres = PostgresDatabase.create();
        mongo = MongoTestServer.start();
        service = RunningService.start(postgres, mongo, Map.of());
    }

    @AfterAll
    void stop() {
        service.close();
        mongo.close();
        postgres.close();
    }

    record Delivery(String svixId, String payload) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void shuffled_concurrent_histories_end_in_the_model_state(long seed) throws Exception {
        Random random = new Random(seed);
        String prefix = "user_s" + seed + "_";
        Map<String, StoredUser> model = new LinkedHashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            model.put(prefix + u, history(prefix + u, random, deliveries));
        }
        int events = deliveries.size();
        for (Delivery delivery : List.copyOf(deliveries)) {
            if (random.nextDouble() < DUPLICATE_RATE) {
                deliveries.add(delivery);
            }
        }
        Collections.shuffle(deliveries, random);

        WebhookClient client = service.client();
        List<Callable<Response>> sends = new ArrayList<>();
        deliveries.forEach(d -> sends.add(() -> client.send(d.svixId(), d.payload())));
        List<Response> responses = Concurrently.run(THREADS, sends);

        System.out.printf("model-based sync: seed=%d users=%d events=%d deliveries=%d duplicates=%d%n",
                seed, USERS, events, deliveries.size(), deliveries.size() - events);
        assertThat(responses).extracting(Response::status).containsOnly(200);
        model.forEach((id, expected) -> {
            assertThat(StoredUser.inPostgres(postgres, id).essentials()).as("postgres " + id).isEqualTo(expected);
            assertThat(StoredUser.inMongo(mongo, id).essentials()).as("mongodb " + id).isEqualTo(expected);
        });
        Set<String> distinct = new HashSet<>();
        deliveries.forEach(d -> distinct.add(d.svixId()));
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE subject_id LIKE ?", prefix + "%"))
                .isEqualTo(distinct.size());
        assertThat(mongo.database().getCollection("audit_log")
                .countDocuments(Filters.regex("subjectId", "^" + Pattern.quote(prefix)))).isEqualTo(distinct.size());
    }

    /** Adds one user's events to the deliveries and returns the state the stores must end in. */
    private static StoredUser history(String id, Random random, List<Delivery> deliveries) {
        long clock = EPOCH + random.nextInt(1_000_000);
        String name = "v0";
        deliveries.add(delivery(ClerkEvents.user("user.created", id, clock).firstName(name).json()));
        int updates = random.nextInt(MAX_UPDATES + 1);
        for (int i = 1; i <= updates; i++) {
            clock += 1 + random.nextInt(10_000);
            name = "v" + i;
            deliveries.add(delivery(ClerkEvents.user("user.updated", id, clock).firstName(name).json()));
        }
        if (random.nextDouble() < DELETE_RATE) {
            // Any clock at all: a delete is final even when it is older than the updates.
            long deletedAt = EPOCH + random.nextInt(1_100_000);
            deliveries.add(delivery(ClerkEvents.deleted(id, deletedAt).json()));
            return StoredUser.tombstone(id, deletedAt);
        }
        return StoredUser.live(id, id + "@example.com", name, clock);
    }

    private static Delivery delivery(String payload) {
        return new Delivery(WebhookClient.newMessageId(), payload);
    }
}
