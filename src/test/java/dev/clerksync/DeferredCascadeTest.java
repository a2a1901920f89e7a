package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heavy deletions (docs/design.md, decision 16): a cascade or an erasure larger than
 * SYNC_CASCADE_INLINE_LIMIT is answered at once with its outcome and continued in chunks after the
 * answer, in both stores; meanwhile the owner already reads as deleted (a membership of it is stale,
 * an entry about it is stored erased), and once the chunks are done nothing is left live or
 * un-erased — exactly as a cascade in the deciding transaction would have left it.
 */
class DeferredCascadeTest {

    static final int LIMIT = 7;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().with("clerk.sync.cascade-inline-limit", Integer.toString(LIMIT));

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final WebhookClient client = stack.client();

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;
    static final long T3 = T2 + 60_000;

    @Test
    void an_organization_with_more_memberships_than_the_limit_is_answered_applied_and_its_memberships_follow_in_chunks()
            throws Exception {
        int members = LIMIT * 5 + 3;
        List<Callable<String>> creates = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            String membership = "orgmem_big_" + i;
            String user = "user_big_" + i;
            creates.add(() -> client.send(WebhookClient.newMessageId(), OrganizationEvents.membership(
                    "organizationMembership.created", membership, "org_big", user, T1).json()).field("status"));
        }
        // Memberships of one organization arriving together: they share a round, and all apply.
        assertThat(Concurrently.run(8, creates)).containsOnly("applied");
        String deletion = WebhookClient.newMessageId();

        assertThat(client.send(deletion, OrganizationEvents.organizationDeleted("org_big", T2).json()).field("status"))
                .isEqualTo("applied");
        assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ? AND kind = 'memberships'", deletion))
                .as("left for after the answer").isEqualTo(1);
        // The organization reads as deleted at once: a new membership of it is stale.
        assertThat(client.send(WebhookClient.newMessageId(), OrganizationEvents.membership("organizationMembership.created",
                "orgmem_big_late", "org_big", "user_big_late", T3).json()).field("status")).isEqualTo("stale");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE organization_id = 'org_big' "
                    + "AND deleted_at IS NULL")).isZero();
            assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE finished_at IS NULL")).isZero();
        });
        for (int i = 0; i < members; i++) {
            StoredMembership expected = StoredMembership.tombstone("orgmem_big_" + i, "org_big", "user_big_" + i, T2, deletion);
            assertThat(StoredMembership.inPostgres(postgres, expected.id())).as("postgres").isEqualTo(expected);
            assertThat(StoredMembership.inMongo(mongo, expected.id())).as("mongodb").isEqualTo(expected);
        }
        assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE id = 'orgmem_big_late'")).isZero();
    }

    @Test
    void a_user_with_more_audit_entries_than_the_limit_is_erased_in_chunks_in_both_stores() {
        int sessions = LIMIT * 4 + 2;
        for (int i = 0; i < sessions; i++) {
            assertThat(client.send(WebhookClient.newMessageId(),
                    OrganizationEvents.session("sess_heavy_" + i, "user_heavy", T1 + i).json()).field("status")).isEqualTo("ignored");
        }
        String deletion = WebhookClient.newMessageId();

        assertThat(client.send(deletion, ClerkEvents.deleted("user_heavy", T2).json()).field("status")).isEqualTo("applied");
        assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ? AND kind = 'erasure'", deletion))
                .as("left for after the answer").isEqualTo(1);
        // Entries about the deleted user that arrive meanwhile are stored erased.
        String late = WebhookClient.newMessageId();
        client.send(late, OrganizationEvents.session("sess_heavy_late", "user_heavy", T3).json());
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ? AND payload = '{\"erased\": true}'",
                late)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE user_id = 'user_heavy' "
                    + "AND payload <> '{\"erased\": true}'")).as("postgres: only the deletion's own entry").isEqualTo(1);
            assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.and(
                    Filters.eq("userId", "user_heavy"), Filters.ne("payload", new Document("erased", true)))))
                    .as("mongodb: only the deletion's own entry").isEqualTo(1);
        });
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ? AND payload = '{\"erased\": true}'",
                deletion)).isZero();
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE user_id = 'user_heavy'")).isEqualTo(sessions + 2);
    }

    @Test
    void the_service_on_postgresql_runs_the_chunks_route() {
        assertThat(stack.service().context().getRoute("deferred-cascades")).isNotNull();
    }

    @Test
    void a_small_cascade_still_completes_before_the_answer() {
        for (int i = 0; i < LIMIT; i++) {
            client.send(WebhookClient.newMessageId(), OrganizationEvents.membership("organizationMembership.created",
                    "orgmem_small_" + i, "org_small", "user_small_" + i, T1).json());
        }
        String deletion = WebhookClient.newMessageId();

        assertThat(client.send(deletion, OrganizationEvents.organizationDeleted("org_small", T2).json()).field("status"))
                .isEqualTo("applied");

        assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE organization_id = 'org_small' "
                + "AND deleted_at IS NULL")).isZero();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_small_0"))
                .isEqualTo(StoredMembership.tombstone("orgmem_small_0", "org_small", "user_small_0", T2, deletion));
        assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ?", deletion)).isZero();
    }
}
