package dev.clerksync.mapping;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.support.AppTables;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MappedTargets;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sibling of ModelBasedSyncTest for mappings: random user histories (creates, updates, deletions
 * at any clock, duplicates) plus memberships of those users, delivered shuffled and concurrently;
 * then both stores' own records must match the model (as in ModelBasedSyncTest) and every mapped
 * table and collection must equal the projection of clerk-sync's own records ({@link MappedTargets}):
 * no stale or duplicate delivery, no cascade and no erasure left out.
 */
class MappingModelTest {

    static final int USERS = 60;
    static final int THREADS = 16;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        AppTables.create(stack.postgres(), stack.mongo());
        service = RunningService.start(stack.postgres(), stack.mongo(), Map.of("clerk.mappings.dir",
                AppTables.folder(Files.createTempDirectory("mappings-model"), AppTables.MAPPINGS).toString()));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void shuffled_concurrent_histories_leave_mapped_targets_equal_to_the_projection(long seed) throws Exception {
        String prefix = "user_map" + seed + "_";
        UserHistories histories = UserHistories.generate(seed, prefix, USERS, 0.15);
        List<UserHistories.Delivery> deliveries = new ArrayList<>(histories.deliveries());
        // Memberships of half the users, so that user deletions cascade into the mapped memberships.
        for (int i = 0; i < USERS; i += 2) {
            String json = OrganizationEvents.membership("organizationMembership.created", "orgmem_map" + seed + "_" + i,
                    "org_map" + seed, String.format("%s%d", prefix, i), 1_600_000_500_000L + i).json();
            deliveries.add(new UserHistories.Delivery(WebhookClient.newMessageId(), json));
        }
        java.util.Collections.shuffle(deliveries, new java.util.Random(seed));

        WebhookClient client = service.client();
        List<Callable<Void>> sends = new ArrayList<>();
        deliveries.forEach(d -> sends.add(() -> {
            client.send(d.svixId(), d.payload());
            return null;
        }));
        Concurrently.run(THREADS, sends);

        histories.assertStoresMatch(stack.postgres(), stack.mongo(), prefix);
        MappedTargets.assertMatch(stack.postgres(), stack.mongo(), prefix);
        MappedTargets.assertMembershipsMatch(stack.postgres(), stack.mongo(), "orgmem_map" + seed + "_");
    }
}
