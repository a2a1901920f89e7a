package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import dev.clerksync.support.Fixtures;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.StoredOrganization;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Organizations and memberships follow the rules of users (docs/how-it-works.md), each asserted on the exact
 * state of both stores: the mapping of columns and fields, ordering by the clock, deletion that is
 * final and leaves a tombstone, and a membership that arrives before its organization.
 */
class OrganizationSyncTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;
    static final long T3 = T2 + 60_000;

    @Test
    void a_received_organization_lands_in_both_stores_column_by_column() throws Exception {
        String payload = Fixtures.read("variants/received-2024/organization.updated.json");
        JsonNode organization = new ObjectMapper().readTree(payload).get("data");
        String id = organization.get("id").asText();
        String svixId = WebhookClient.newMessageId();

        assertThat(client.send(svixId, payload).field("status")).isEqualTo("applied");

        Instant updatedAt = Instant.ofEpochMilli(organization.get("updated_at").asLong());
        StoredOrganization expected = new StoredOrganization(id, "Confederacy of Independent Systems",
                "confederacy-of-independent-systems", organization.get("image_url").asText(),
                "user_2o9QUL1HBjwFSVmJt9Jo1yA3PAl", Instant.ofEpochMilli(organization.get("created_at").asLong()),
                updatedAt, null, updatedAt, svixId, true);
        assertThat(StoredOrganization.inPostgres(postgres, id)).isEqualTo(expected);
        assertThat(StoredOrganization.inMongo(mongo, id)).isEqualTo(expected);
        assertThat(postgres.query("SELECT data = CAST(? AS jsonb) AS same FROM organizations WHERE id = ?",
                organization.toString(), id)).containsExactly(Map.of("same", true));
        Document data = mongo.database().getCollection("organizations").find(Filters.eq("_id", id)).first()
                .get("data", Document.class);
        assertThat(data.toJson()).isEqualTo(Document.parse(organization.toString()).toJson());
    }

    @Test
    void a_received_membership_lands_in_both_stores_column_by_column() throws Exception {
        String payload = Fixtures.read("variants/received-2024/organizationMembership.updated.json");
        JsonNode membership = new ObjectMapper().readTree(payload).get("data");
        String id = membership.get("id").asText();
        String svixId = WebhookClient.newMessageId();

        assertThat(client.send(svixId, payload).field("status")).isEqualTo("applied");

        Instant updatedAt = Instant.ofEpochMilli(membership.get("updated_at").asLong());
        StoredMembership expected = new StoredMembership(id, "org_2o9RAVkGMEfjA4f90OznAdaR1dx",
                "user_2giUfelO6nqMouDtVZQOolP7eXN", "org:admin", Instant.ofEpochMilli(membership.get("created_at").asLong()),
                updatedAt, null, updatedAt, svixId, true);
        assertThat(StoredMembership.inPostgres(postgres, id)).isEqualTo(expected);
        assertThat(StoredMembership.inMongo(mongo, id)).isEqualTo(expected);
        assertThat(postgres.query("SELECT data = CAST(? AS jsonb) AS same FROM organization_memberships WHERE id = ?",
                membership.toString(), id)).containsExactly(Map.of("same", true));
        assertThat(postgres.query("SELECT user_id FROM audit_log WHERE event_id = ?", svixId))
                .containsExactly(Map.of("user_id", "user_2giUfelO6nqMouDtVZQOolP7eXN"));
        assertThat(mongo.database().getCollection("audit_log").find(Filters.eq("_id", svixId)).first().getString("userId"))
                .isEqualTo("user_2giUfelO6nqMouDtVZQOolP7eXN");
    }

    @Test
    void a_newer_organization_update_is_applied_and_an_older_one_is_stale_and_changes_nothing() {
        String first = WebhookClient.newMessageId();
        client.send(first, OrganizationEvents.organization("organization.created", "org_order", T1).name("One").json());
        String second = WebhookClient.newMessageId();

        assertThat(client.send(second, OrganizationEvents.organization("organization.updated", "org_order", T3)
                .name("Three").json()).field("status")).isEqualTo("applied");
        assertThat(client.send(OrganizationEvents.organization("organization.updated", "org_order", T2)
                .name("Two").json()).field("status")).isEqualTo("stale");
        assertThat(client.send(OrganizationEvents.organization("organization.updated", "org_order", T3)
                .name("Same clock").json()).field("status")).isEqualTo("stale");

        assertOrganization("org_order", "Three", T3, second);
    }

    @Test
    void a_newer_membership_update_is_applied_and_an_older_one_is_stale_and_changes_nothing() {
        String newer = WebhookClient.newMessageId();
        client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_order", "org_m", "user_m", T1)
                .role("org:member").json());

        assertThat(client.send(newer, OrganizationEvents.membership("organizationMembership.updated", "orgmem_order",
                "org_m", "user_m", T3).role("org:admin").json()).field("status")).isEqualTo("applied");
        assertThat(client.send(OrganizationEvents.membership("organizationMembership.updated", "orgmem_order",
                "org_m", "user_m", T2).role("org:billing").json()).field("status")).isEqualTo("stale");

        assertMembership("orgmem_order", "org_m", "user_m", "org:admin", T3, newer);
    }

    @Test
    void an_organization_delete_clears_every_field_but_the_tombstones_and_no_later_event_revives_it() {
        client.send(OrganizationEvents.organization("organization.created", "org_gone", T1).json());
        String delete = WebhookClient.newMessageId();

        assertThat(client.send(delete, OrganizationEvents.organizationDeleted("org_gone", T2).json()).field("status"))
                .isEqualTo("applied");
        assertThat(client.send(OrganizationEvents.organization("organization.updated", "org_gone", T3).json())
                .field("status")).isEqualTo("stale");
        assertThat(client.send(OrganizationEvents.organizationDeleted("org_gone", T3).json()).field("status"))
                .isEqualTo("stale");

        StoredOrganization tombstone = StoredOrganization.tombstone("org_gone", T2, delete);
        assertThat(StoredOrganization.inPostgres(postgres, "org_gone")).isEqualTo(tombstone);
        assertThat(StoredOrganization.inMongo(mongo, "org_gone")).isEqualTo(tombstone);
        Document stored = mongo.database().getCollection("organizations").find(Filters.eq("_id", "org_gone")).first();
        assertThat(stored.keySet()).containsExactlyInAnyOrder("_id", "deletedAt", "lastEventAt", "lastEventId");
    }

    @Test
    void an_organization_delete_that_comes_first_leaves_a_tombstone_that_wins() {
        String delete = WebhookClient.newMessageId();

        assertThat(client.send(delete, OrganizationEvents.organizationDeleted("org_first", T2).json()).field("status"))
                .isEqualTo("applied");
        assertThat(client.send(OrganizationEvents.organization("organization.created", "org_first", T3).json())
                .field("status")).isEqualTo("stale");

        StoredOrganization tombstone = StoredOrganization.tombstone("org_first", T2, delete);
        assertThat(StoredOrganization.inPostgres(postgres, "org_first")).isEqualTo(tombstone);
        assertThat(StoredOrganization.inMongo(mongo, "org_first")).isEqualTo(tombstone);
    }

    @Test
    void a_membership_delete_that_comes_first_leaves_a_tombstone_with_its_organization_and_user() {
        String delete = WebhookClient.newMessageId();

        assertThat(client.send(delete, OrganizationEvents.membershipDeleted("orgmem_first", "org_mf", "user_mf", T2, T1)
                .json()).field("status")).isEqualTo("applied");
        assertThat(client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_first",
                "org_mf", "user_mf", T3).json()).field("status")).isEqualTo("stale");

        StoredMembership tombstone = StoredMembership.tombstone("orgmem_first", "org_mf", "user_mf", T2, delete);
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_first")).isEqualTo(tombstone);
        assertThat(StoredMembership.inMongo(mongo, "orgmem_first")).isEqualTo(tombstone);
        Document stored = mongo.database().getCollection("organization_memberships")
                .find(Filters.eq("_id", "orgmem_first")).first();
        assertThat(stored.keySet()).containsExactlyInAnyOrder("_id", "organizationId", "userId", "deletedAt",
                "lastEventAt", "lastEventId");
    }

    @Test
    void a_membership_delete_carrying_an_old_updated_at_after_a_newer_update_is_applied_at_its_envelope_time() {
        client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_old", "org_o", "user_o", T1).json());
        client.send(OrganizationEvents.membership("organizationMembership.updated", "orgmem_old", "org_o", "user_o", T2).json());
        String delete = WebhookClient.newMessageId();

        // Clerk's .deleted carries the membership as it was: updated_at T1, older than the stored T2.
        String status = client.send(delete, OrganizationEvents.membershipDeleted("orgmem_old", "org_o", "user_o", T3, T1)
                .json()).field("status");

        assertThat(status).isEqualTo("applied");
        StoredMembership tombstone = StoredMembership.tombstone("orgmem_old", "org_o", "user_o", T3, delete);
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_old")).isEqualTo(tombstone);
        assertThat(StoredMembership.inMongo(mongo, "orgmem_old")).isEqualTo(tombstone);
    }

    @Test
    void a_membership_that_arrives_before_its_organization_is_kept_and_the_organization_follows() {
        String membership = WebhookClient.newMessageId();
        String organization = WebhookClient.newMessageId();

        assertThat(client.send(membership, OrganizationEvents.membership("organizationMembership.created",
                "orgmem_early", "org_late", "user_e", T2).role("org:member").json()).field("status")).isEqualTo("applied");
        assertThat(client.send(organization, OrganizationEvents.organization("organization.created", "org_late", T1)
                .name("Late").json()).field("status")).isEqualTo("applied");

        assertMembership("orgmem_early", "org_late", "user_e", "org:member", T2, membership);
        assertOrganization("org_late", "Late", T1, organization);
    }

    private void assertOrganization(String id, String name, long clock, String svixId) {
        for (StoredOrganization stored : new StoredOrganization[] {
                StoredOrganization.inPostgres(postgres, id), StoredOrganization.inMongo(mongo, id)}) {
            assertThat(stored.name()).isEqualTo(name);
            assertThat(stored.updatedAt()).isEqualTo(Instant.ofEpochMilli(clock));
            assertThat(stored.lastEventAt()).isEqualTo(Instant.ofEpochMilli(clock));
            assertThat(stored.lastEventId()).isEqualTo(svixId);
            assertThat(stored.deletedAt()).isNull();
            assertThat(stored.hasData()).isTrue();
        }
        assertThat(StoredOrganization.inMongo(mongo, id)).isEqualTo(StoredOrganization.inPostgres(postgres, id));
    }

    private void assertMembership(String id, String organizationId, String userId, String role, long clock, String svixId) {
        for (StoredMembership stored : new StoredMembership[] {
                StoredMembership.inPostgres(postgres, id), StoredMembership.inMongo(mongo, id)}) {
            assertThat(stored.organizationId()).isEqualTo(organizationId);
            assertThat(stored.userId()).isEqualTo(userId);
            assertThat(stored.role()).isEqualTo(role);
            assertThat(stored.updatedAt()).isEqualTo(Instant.ofEpochMilli(clock));
            assertThat(stored.lastEventAt()).isEqualTo(Instant.ofEpochMilli(clock));
            assertThat(stored.lastEventId()).isEqualTo(svixId);
            assertThat(stored.live()).isTrue();
            assertThat(stored.hasData()).isTrue();
        }
        assertThat(StoredMembership.inMongo(mongo, id)).isEqualTo(StoredMembership.inPostgres(postgres, id));
    }
}
