package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.BackfillRunner.Run;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.RecordedRequest;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.StoredOrganization;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code backfill --reconcile}: after a complete pass, what the stores hold live but Clerk no longer
 * has is deleted as its {@code .deleted} would be, each one only after Clerk answered 404 for it.
 * A class of its own: reconcile looks at every record in the stores.
 */
class BackfillReconcileTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final FakeClerkApi clerk = FakeClerkApi.start();
    final BackfillRunner backfill = new BackfillRunner(postgres, mongo, clerk);

    @AfterEach
    void stopClerk() {
        clerk.close();
    }

    @Test
    void reconcile_deletes_exactly_the_records_clerk_answers_404_for() {
        List<String> users = clerk.generateUsers("rec", 5);
        clerk.add(clerk.newOrganization("org_keep")).add(clerk.newOrganization("org_gone"));
        clerk.add(clerk.newMembership("orgmem_keep", "org_keep", users.get(0)))
                .add(clerk.newMembership("orgmem_left", "org_keep", users.get(1)))
                .add(clerk.newMembership("orgmem_of_gone", "org_gone", users.get(2)));
        assertThat(backfill.run().status()).isZero();

        // Gone from Clerk since: a user, an organization (with its membership), and one membership.
        clerk.delete(users.get(4));
        clerk.delete("org_gone");
        clerk.delete("orgmem_left");
        // New in Clerk during the next pass, after the users were listed: not seen, but not gone.
        String late = "user_reclate";
        clerk.onRequest(request -> request.path().equals("/v1/organizations"), () -> {
            clerk.add(clerk.newUser(late));
            stack.client().send(ClerkEvents.user("user.created", late, 1_700_000_000_000L).json());
        });

        Run run = backfill.run("--reconcile");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.summary().path("users").path("deleted").asLong()).isEqualTo(1);
        assertThat(run.summary().path("organizations").path("deleted").asLong()).isEqualTo(1);
        assertThat(run.summary().path("memberships").path("deleted").asLong()).isEqualTo(1);
        String runId = run.summary().path("run").asText();
        assertThat(StoredUser.inPostgres(postgres, users.get(4)).deletedAt()).isNotNull();
        assertThat(StoredUser.inMongo(mongo, users.get(4)).deletedAt()).isNotNull();
        assertThat(StoredOrganization.inPostgres(postgres, "org_gone").deletedAt()).isNotNull();
        assertThat(StoredOrganization.inMongo(mongo, "org_gone").deletedAt()).isNotNull();
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_of_gone").deletedAt()).as("cascaded").isNotNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_of_gone").deletedAt()).as("cascaded").isNotNull();
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_left").deletedAt()).isNotNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_left").deletedAt()).isNotNull();
        // Everything Clerk still has stays live.
        for (String user : List.of(users.get(0), users.get(1), users.get(2), users.get(3), late)) {
            assertThat(StoredUser.inPostgres(postgres, user).deletedAt()).as(user).isNull();
            assertThat(StoredUser.inMongo(mongo, user).deletedAt()).as(user).isNull();
        }
        assertThat(StoredOrganization.inPostgres(postgres, "org_keep").deletedAt()).isNull();
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_keep").deletedAt()).isNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_keep").deletedAt()).isNull();
        // Each deletion was confirmed by a request for that very record, and audited as its .deleted.
        List<String> asked = clerk.requests().stream().map(RecordedRequest::toString).toList();
        assertThat(asked).anySatisfy(request -> assertThat(request).contains("/v1/users/" + users.get(4)));
        assertThat(asked).anySatisfy(request -> assertThat(request).contains("/v1/users/" + late));
        assertThat(asked).anySatisfy(request -> assertThat(request).contains("/v1/organizations/org_gone"));
        assertThat(postgres.query("SELECT event_type, outcome FROM audit_log WHERE event_id = ?",
                "backfill:" + runId + ":" + users.get(4)).get(0))
                .containsEntry("event_type", "user.deleted").containsEntry("outcome", "applied");
        assertThat(postgres.query("SELECT event_type FROM audit_log WHERE event_id = ?",
                "backfill:" + runId + ":orgmem_left").get(0)).containsEntry("event_type", "organizationMembership.deleted");
        assertThat(postgres.count("SELECT count(*) FROM backfill_seen")).as("a finished run forgets what it saw").isZero();
    }
}
