package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import com.mongodb.client.model.Filters;

/**
 * Random Clerk user histories and the state they must leave in the stores: per user a create,
 * updates with increasing updated_at, sometimes a delete at any clock (a delete is final); some
 * deliveries repeated with the same svix-id, as Svix does. Shuffled: Svix guarantees no order.
 */
public final class UserHistories {

    static final int MAX_UPDATES = 5;
    static final double DELETE_RATE = 0.3;
    static final long EPOCH = 1_730_000_000_000L;

    /** One delivery: its svix-id and its payload. */
    public record Delivery(String svixId, String payload) {
    }

    private final List<Delivery> deliveries;
    private final int events;
    private final Map<String, StoredUser> model;

    private UserHistories(List<Delivery> deliveries, int events, Map<String, StoredUser> model) {
        this.deliveries = deliveries;
        this.events = events;
        this.model = model;
    }

    public static UserHistories generate(long seed, String userPrefix, int users, double duplicateRate) {
        Random random = new Random(seed);
        Map<String, StoredUser> model = new LinkedHashMap<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            model.put(userPrefix + u, history(userPrefix + u, random, deliveries));
        }
        int events = deliveries.size();
        for (Delivery delivery : List.copyOf(deliveries)) {
            if (random.nextDouble() < duplicateRate) {
                deliveries.add(delivery);
            }
        }
        Collections.shuffle(deliveries, random);
        return new UserHistories(List.copyOf(deliveries), events, model);
    }

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
            long deletedAt = EPOCH + random.nextInt(1_100_000);
            deliveries.add(delivery(ClerkEvents.deleted(id, deletedAt).json()));
            return StoredUser.tombstone(id, deletedAt);
        }
        return StoredUser.live(id, id + "@example.com", name, clock);
    }

    private static Delivery delivery(String payload) {
        return new Delivery(WebhookClient.newMessageId(), payload);
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** Distinct events (deliveries less the repeats). */
    public int events() {
        return events;
    }

    public long distinctSvixIds() {
        return deliveries.stream().map(Delivery::svixId).distinct().count();
    }

    /** The state each user must end in, in both stores ({@link StoredUser#essentials()}). */
    public Map<String, StoredUser> model() {
        return model;
    }

    /**
     * Both stores hold exactly the model's users and one audit entry per distinct svix-id of these
     * histories (their users' ids all start with {@code userPrefix}).
     */
    public void assertStoresMatch(PostgresDatabase postgres, MongoTestServer mongo, String userPrefix) {
        model.forEach((id, expected) -> {
            assertThat(StoredUser.inPostgres(postgres, id).essentials()).as("postgres " + id).isEqualTo(expected);
            assertThat(StoredUser.inMongo(mongo, id).essentials()).as("mongodb " + id).isEqualTo(expected);
        });
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE subject_id LIKE ?", userPrefix + "%"))
                .isEqualTo(distinctSvixIds());
        assertThat(mongo.database().getCollection("audit_log")
                .countDocuments(Filters.regex("subjectId", "^" + Pattern.quote(userPrefix)))).isEqualTo(distinctSvixIds());
    }
}
