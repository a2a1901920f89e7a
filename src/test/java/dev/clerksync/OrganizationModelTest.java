package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationHistories;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories.Delivery;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random histories of organizations and memberships, with deletes that cascade (of organizations
 * and of users), repeated and shuffled, delivered 16 at a time over HTTP: both stores end in the
 * model's state, each svix-id is audited once per store with the outcome it was answered with,
 * exactly once.
 */
class OrganizationModelTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    static final int ORGANIZATIONS = 15;
    static final int USERS = 20;
    static final int MEMBERSHIPS = 60;
    static final double DUPLICATE_RATE = 0.15;
    static final int THREADS = 16;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void shuffled_concurrent_organization_histories_end_in_the_model_state(long seed) throws Exception {
        OrganizationHistories histories = OrganizationHistories.generate(seed, "s" + seed + "_", ORGANIZATIONS, USERS,
                MEMBERSHIPS, DUPLICATE_RATE);
        WebhookClient client = service.client();
        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        for (Delivery delivery : histories.deliveries()) {
            sends.add(() -> {
                decisions.answered(delivery.svixId(), client.send(delivery.svixId(), delivery.payload()));
                return null;
            });
        }

        Concurrently.run(THREADS, sends);

        System.out.printf("organization model: seed=%d organizations=%d memberships=%d users=%d events=%d deliveries=%d%n",
                seed, histories.organizations(), histories.memberships(), USERS, histories.events(),
                histories.deliveries().size());
        assertThat(decisions.assertAuditedAsAnswered(postgres, mongo)).hasSize(histories.events());
        histories.assertStoresMatch(postgres, mongo);
    }
}
