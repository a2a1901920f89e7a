package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same delivery arriving many times at the same moment, at one instance and at two instances
 * (two Camel contexts) sharing the stores: one effect and one audit entry per store.
 */
class ExactlyOnceConcurrencyTest {

    static final int COPIES = 16;
    static final long T1 = 1_730_000_000_000L;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().instances(2);

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService first = stack.service(0);
    final RunningService second = stack.service(1);

    @Test
    void the_same_create_sent_at_once_to_one_instance_is_applied_once() throws Exception {
        assertAppliedOnce("user_burst_one", List.of(first.client()));
    }

    @Test
    void the_same_create_sent_at_once_to_two_instances_is_applied_once() throws Exception {
        assertAppliedOnce("user_burst_two", List.of(first.client(), second.client()));
    }

    @Test
    void the_same_delete_sent_at_once_to_two_instances_is_applied_once() throws Exception {
        first.client().send(ClerkEvents.user("user.created", "user_burst_delete", T1).json());
        String svixId = WebhookClient.newMessageId();
        String payload = ClerkEvents.deleted("user_burst_delete", T1 + 1000).json();

        List<Response> responses = sendAtOnce(svixId, payload, List.of(first.client(), second.client()));

        assertThat(responses).extracting(Response::status).containsOnly(200);
        assertAuditedOnce(svixId);
        assertThat(StoredUser.inPostgres(postgres, "user_burst_delete")).isEqualTo(StoredUser.tombstone("user_burst_delete", T1 + 1000));
        assertThat(StoredUser.inMongo(mongo, "user_burst_delete")).isEqualTo(StoredUser.tombstone("user_burst_delete", T1 + 1000));
    }

    private void assertAppliedOnce(String userId, List<WebhookClient> clients) throws Exception {
        String svixId = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", userId, T1).firstName("Burst").json();

        List<Response> responses = sendAtOnce(svixId, payload, clients);

        assertThat(responses).extracting(Response::status).containsOnly(200);
        assertThat(responses).extracting(r -> r.field("status")).containsOnly("applied", "duplicate").containsOnlyOnce("applied");
        assertAuditedOnce(svixId);
        StoredUser expected = StoredUser.live(userId, userId + "@example.com", "Burst", T1);
        assertThat(StoredUser.inPostgres(postgres, userId).essentials()).isEqualTo(expected);
        assertThat(StoredUser.inMongo(mongo, userId).essentials()).isEqualTo(expected);
    }

    private List<Response> sendAtOnce(String svixId, String payload, List<WebhookClient> clients) throws Exception {
        List<Callable<Response>> tasks = new ArrayList<>();
        for (int i = 0; i < COPIES; i++) {
            WebhookClient client = clients.get(i % clients.size());
            tasks.add(() -> client.send(svixId, payload));
        }
        return Concurrently.run(COPIES, tasks);
    }

    private void assertAuditedOnce(String svixId) {
        assertThat(postgres.query("SELECT outcome FROM audit_log WHERE event_id = ?", svixId))
                .containsExactly(Map.of("outcome", "applied"));
        assertThat(mongo.database().getCollection("audit_log").find(Filters.eq("_id", svixId)).into(new ArrayList<>()))
                .singleElement().satisfies(doc -> assertThat(doc.getString("outcome")).isEqualTo("applied"));
    }
}
