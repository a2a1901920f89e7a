package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient.Response;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An organization or membership event that lacks what its sync needs is answered 400 with a clear
 * error, never 500, and leaves both stores as they were: nothing audited, nothing written.
 */
class OrganizationBadInputTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    static final long T1 = 1_730_000_000_000L;
    static final String MEMBERSHIP_ERROR = "organization membership event without data.id, data.organization.id, "
            + "data.public_user_data.user_id or an ordering timestamp (data.updated_at, or the envelope timestamp "
            + "of organizationMembership.deleted)";
    static final String ORGANIZATION_ERROR = "organization event without data.id or an ordering timestamp "
            + "(data.updated_at, or the envelope timestamp of organization.deleted)";

    @AfterEach
    void stores_are_untouched() {
        for (String table : List.of("audit_log", "organizations", "organization_memberships")) {
            assertThat(postgres.count("SELECT count(*) FROM " + table)).as(table).isZero();
            assertThat(mongo.database().getCollection(table).countDocuments()).as(table).isZero();
        }
    }

    @Test
    void a_membership_without_its_organization_id_is_a_400() {
        OrganizationEvents event = membership();
        ((ObjectNode) event.data().get("organization")).remove("id");

        assertClear400(client.send(event.json()), MEMBERSHIP_ERROR);
    }

    @Test
    void a_membership_without_its_user_id_is_a_400() {
        OrganizationEvents event = membership();
        ((ObjectNode) event.data().get("public_user_data")).putNull("user_id");

        assertClear400(client.send(event.json()), MEMBERSHIP_ERROR);
    }

    @Test
    void a_membership_deletion_without_its_id_is_a_400() {
        OrganizationEvents event = OrganizationEvents.membershipDeleted("orgmem_bad", "org_bad", "user_bad", T1, T1);
        event.data().remove("id");

        assertClear400(client.send(event.json()), MEMBERSHIP_ERROR);
    }

    @Test
    void an_organization_without_its_id_is_a_400() {
        OrganizationEvents event = OrganizationEvents.organization("organization.created", "org_bad", T1);
        event.data().remove("id");

        assertClear400(client.send(event.json()), ORGANIZATION_ERROR);
    }

    @Test
    void an_organization_update_with_a_text_updated_at_is_a_400() {
        OrganizationEvents event = OrganizationEvents.organization("organization.updated", "org_bad", T1);
        event.data().put("updated_at", "2024-11-01T00:00:00Z");

        assertClear400(client.send(event.json()), ORGANIZATION_ERROR);
    }

    @Test
    void a_membership_update_with_a_text_updated_at_is_a_400() {
        OrganizationEvents event = membership();
        event.data().put("updated_at", "soon");

        assertClear400(client.send(event.json()), MEMBERSHIP_ERROR);
    }

    private static OrganizationEvents membership() {
        return OrganizationEvents.membership("organizationMembership.updated", "orgmem_bad", "org_bad", "user_bad", T1);
    }

    private static void assertClear400(Response response, String error) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo(error);
        assertThat(response.body()).doesNotContain("Exception");
    }
}
