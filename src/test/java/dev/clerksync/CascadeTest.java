package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cascades (docs/how-it-works.md): organization.deleted deletes the organization's memberships and
 * user.deleted the user's, as if each membership's .deleted had come with the same timestamp and
 * svix-id; afterwards no membership event brings a membership of them back to life.
 */
class CascadeTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;
    static final long T3 = T2 + 60_000;
    static final long T4 = T3 + 60_000;
    static final int RACING_ORGANIZATIONS = 300;
    static final int THREADS = 16;

    @Test
    void an_organization_delete_deletes_its_live_memberships_and_leaves_the_other_organizations_alone() {
        member("orgmem_oc1", "org_oc", "user_oc1", T1);
        member("orgmem_oc2", "org_oc", "user_oc2", T1);
        member("orgmem_oc3", "org_oc", "user_oc3", T1);
        String leftBefore = WebhookClient.newMessageId();
        client.send(leftBefore, OrganizationEvents.membershipDeleted("orgmem_oc3", "org_oc", "user_oc3", T2, T1).json());
        String other = member("orgmem_other", "org_oc_other", "user_oc1", T1);
        String delete = WebhookClient.newMessageId();

        assertThat(client.send(delete, OrganizationEvents.organizationDeleted("org_oc", T3).json()).field("status"))
                .isEqualTo("applied");

        assertBothStores(StoredMembership.tombstone("orgmem_oc1", "org_oc", "user_oc1", T3, delete));
        assertBothStores(StoredMembership.tombstone("orgmem_oc2", "org_oc", "user_oc2", T3, delete));
        assertBothStores(StoredMembership.tombstone("orgmem_oc3", "org_oc", "user_oc3", T2, leftBefore));
        assertLive("orgmem_other", other);
    }

    @Test
    void a_user_delete_deletes_the_users_live_memberships_and_leaves_other_members_alone() {
        member("orgmem_uc1", "org_uc1", "user_uc", T1);
        member("orgmem_uc2", "org_uc2", "user_uc", T1);
        String other = member("orgmem_uc_other", "org_uc1", "user_uc_other", T1);
        String delete = WebhookClient.newMessageId();

        assertThat(client.send(delete, ClerkEvents.deleted("user_uc", T3).json()).field("status")).isEqualTo("applied");

        assertBothStores(StoredMembership.tombstone("orgmem_uc1", "org_uc1", "user_uc", T3, delete));
        assertBothStores(StoredMembership.tombstone("orgmem_uc2", "org_uc2", "user_uc", T3, delete));
        assertLive("orgmem_uc_other", other);
    }

    @Test
    void membership_events_after_an_organization_delete_are_stale_even_for_a_new_membership() {
        member("orgmem_lo", "org_lo", "user_lo", T1);
        String delete = WebhookClient.newMessageId();
        client.send(delete, OrganizationEvents.organizationDeleted("org_lo", T2).json());

        assertThat(client.send(OrganizationEvents.membership("organizationMembership.updated", "orgmem_lo", "org_lo",
                "user_lo", T4).json()).field("status")).isEqualTo("stale");
        assertThat(client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_lo_new", "org_lo",
                "user_lo2", T4).json()).field("status")).isEqualTo("stale");
        assertThat(client.send(OrganizationEvents.membershipDeleted("orgmem_lo", "org_lo", "user_lo", T4, T1).json())
                .field("status")).isEqualTo("stale");

        assertBothStores(StoredMembership.tombstone("orgmem_lo", "org_lo", "user_lo", T2, delete));
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_lo_new")).isNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_lo_new")).isNull();
    }

    @Test
    void membership_events_after_a_user_delete_are_stale_even_for_a_new_membership() {
        member("orgmem_lu", "org_lu", "user_lu", T1);
        String delete = WebhookClient.newMessageId();
        client.send(delete, ClerkEvents.deleted("user_lu", T2).json());

        assertThat(client.send(OrganizationEvents.membership("organizationMembership.updated", "orgmem_lu", "org_lu",
                "user_lu", T4).json()).field("status")).isEqualTo("stale");
        assertThat(client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_lu_new", "org_lu2",
                "user_lu", T4).json()).field("status")).isEqualTo("stale");

        assertBothStores(StoredMembership.tombstone("orgmem_lu", "org_lu", "user_lu", T2, delete));
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_lu_new")).isNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_lu_new")).isNull();
    }

    @Test
    void a_membership_created_for_an_organization_whose_delete_came_first_is_stale() {
        client.send(OrganizationEvents.organizationDeleted("org_tomb", T2).json());

        assertThat(client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_tomb", "org_tomb",
                "user_tomb", T1).json()).field("status")).isEqualTo("stale");

        assertThat(StoredMembership.inPostgres(postgres, "orgmem_tomb")).isNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_tomb")).isNull();
    }

    @Test
    void members_added_while_their_organizations_are_deleted_never_stay_live_in_either_store() throws Exception {
        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        for (int i = 0; i < RACING_ORGANIZATIONS; i++) {
            String organization = "org_race_" + i;
            String added = OrganizationEvents.membership("organizationMembership.created", "orgmem_race_" + i,
                    organization, "user_race_" + i, T1).json();
            String deleted = OrganizationEvents.organizationDeleted(organization, T2).json();
            for (String payload : List.of(added, deleted)) {
                String svixId = WebhookClient.newMessageId();
                sends.add(() -> {
                    decisions.answered(svixId, client.send(svixId, payload));
                    return null;
                });
            }
        }

        Concurrently.run(THREADS, sends);

        decisions.assertAuditedAsAnswered(postgres, mongo);
        for (int i = 0; i < RACING_ORGANIZATIONS; i++) {
            StoredMembership inPostgres = StoredMembership.inPostgres(postgres, "orgmem_race_" + i);
            assertThat(inPostgres == null || !inPostgres.live()).as("orgmem_race_%d in PostgreSQL", i).isTrue();
            assertThat(StoredMembership.inMongo(mongo, "orgmem_race_" + i)).as("orgmem_race_%d in MongoDB", i)
                    .isEqualTo(inPostgres);
        }
    }

    @Test
    void a_membership_keeps_in_mongodb_the_deletion_that_deleted_it_in_postgresql_when_a_cascade_came_first_there() {
        member("orgmem_own", "org_own", "user_own", T1);
        String own = WebhookClient.newMessageId();
        String ownDeletion = OrganizationEvents.membershipDeleted("orgmem_own", "org_own", "user_own", T2, T1).json();
        client.send(own, ownDeletion);
        // As if the organization's deletion had been followed in MongoDB before this one: its cascade
        // found the membership still live there, but not in PostgreSQL.
        cascadeFirstInMongo("orgmem_own", "org_own", "user_own");

        assertThat(client.send(own, ownDeletion).field("status")).as("Svix's retry").isEqualTo("duplicate");

        assertBothStores(StoredMembership.tombstone("orgmem_own", "org_own", "user_own", T2, own));
    }

    @Test
    void a_membership_keeps_in_mongodb_the_cascade_that_deleted_it_in_postgresql_when_another_came_first_there() {
        member("orgmem_two", "org_two", "user_two", T1);
        String userDeletion = WebhookClient.newMessageId();
        String payload = ClerkEvents.deleted("user_two", T2).json();
        client.send(userDeletion, payload);
        cascadeFirstInMongo("orgmem_two", "org_two", "user_two");

        assertThat(client.send(userDeletion, payload).field("status")).as("Svix's retry").isEqualTo("duplicate");

        assertBothStores(StoredMembership.tombstone("orgmem_two", "org_two", "user_two", T2, userDeletion));
    }

    private void cascadeFirstInMongo(String membershipId, String organizationId, String userId) {
        StoredMembership cascaded = StoredMembership.tombstone(membershipId, organizationId, userId, T3, "msg_other_first");
        mongo.database().getCollection("organization_memberships").updateOne(
                com.mongodb.client.model.Filters.eq("_id", membershipId),
                com.mongodb.client.model.Updates.combine(
                        com.mongodb.client.model.Updates.set("deletedAt", java.util.Date.from(cascaded.deletedAt())),
                        com.mongodb.client.model.Updates.set("lastEventAt", java.util.Date.from(cascaded.lastEventAt())),
                        com.mongodb.client.model.Updates.set("lastEventId", cascaded.lastEventId())));
        assertThat(StoredMembership.inMongo(mongo, membershipId)).isEqualTo(cascaded);
    }

    private String member(String membershipId, String organizationId, String userId, long clock) {
        String svixId = WebhookClient.newMessageId();
        assertThat(client.send(svixId, OrganizationEvents.membership("organizationMembership.created", membershipId,
                organizationId, userId, clock).json()).field("status")).isEqualTo("applied");
        return svixId;
    }

    private void assertBothStores(StoredMembership expected) {
        assertThat(StoredMembership.inPostgres(postgres, expected.id())).as("postgres").isEqualTo(expected);
        assertThat(StoredMembership.inMongo(mongo, expected.id())).as("mongodb").isEqualTo(expected);
    }

    private void assertLive(String id, String svixId) {
        StoredMembership stored = StoredMembership.inPostgres(postgres, id);
        assertThat(stored.live()).isTrue();
        assertThat(stored.lastEventId()).isEqualTo(svixId);
        assertThat(StoredMembership.inMongo(mongo, id)).isEqualTo(stored);
    }
}
