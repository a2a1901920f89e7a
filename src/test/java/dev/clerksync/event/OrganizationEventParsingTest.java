package dev.clerksync.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.verify.RejectedDeliveryException;
import dev.clerksync.verify.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The clock and the user of organization, membership and other events (docs/organizations.md), and their rejections. */
class OrganizationEventParsingTest {

    static final long UPDATED = 1_730_000_000_000L;
    static final long ENVELOPE = UPDATED + 3_600_000;
    static final Instant RECEIVED_AT = Instant.parse("2024-11-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"organization.created", "organization.updated"})
    void orders_an_organization_upsert_by_its_data_updated_at(String type) throws Exception {
        assertThat(parse(OrganizationEvents.organization(type, "org_1", UPDATED).json()).clock())
                .isEqualTo(Instant.ofEpochMilli(UPDATED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"organizationMembership.created", "organizationMembership.updated"})
    void orders_a_membership_upsert_by_its_data_updated_at(String type) throws Exception {
        assertThat(parse(OrganizationEvents.membership(type, "orgmem_1", "org_1", "user_1", UPDATED).json()).clock())
                .isEqualTo(Instant.ofEpochMilli(UPDATED));
    }

    @Test
    void orders_an_organization_deletion_by_its_envelope_timestamp() throws Exception {
        assertThat(parse(OrganizationEvents.organizationDeleted("org_1", ENVELOPE).json()).clock())
                .isEqualTo(Instant.ofEpochMilli(ENVELOPE));
    }

    @Test
    void orders_a_membership_deletion_by_its_envelope_timestamp_never_its_old_updated_at() throws Exception {
        ClerkEvent event = parse(OrganizationEvents.membershipDeleted("orgmem_1", "org_1", "user_1", ENVELOPE, UPDATED).json());

        assertThat(event.clock()).isEqualTo(Instant.ofEpochMilli(ENVELOPE));
    }

    @Test
    void names_the_user_of_a_membership_event_from_its_public_user_data() throws Exception {
        assertThat(parse(OrganizationEvents.membership("organizationMembership.created", "orgmem_1", "org_1", "user_m",
                UPDATED).json()).userId()).isEqualTo("user_m");
    }

    @Test
    void names_the_user_of_session_and_email_events_from_their_data_user_id() throws Exception {
        assertThat(parse(OrganizationEvents.session("sess_1", "user_s", UPDATED).json()).userId()).isEqualTo("user_s");
        assertThat(parse(OrganizationEvents.email("ema_1", "user_e", UPDATED).json()).userId()).isEqualTo("user_e");
    }

    @Test
    void names_the_user_of_a_user_event_from_its_data_id_and_no_user_for_an_organization() throws Exception {
        assertThat(parse("{\"type\":\"user.deleted\",\"timestamp\":" + ENVELOPE + ",\"data\":{\"id\":\"user_d\"}}").userId())
                .isEqualTo("user_d");
        assertThat(parse(OrganizationEvents.organization("organization.created", "org_1", UPDATED).json()).userId()).isNull();
    }

    @Test
    void rejects_a_membership_event_without_its_organization_id() {
        assertThat(rejectionOf(membershipWith(data -> data.withObjectProperty("organization").remove("id"))))
                .isEqualTo(RejectionReason.MEMBERSHIP_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_a_membership_event_without_its_user_id() {
        assertThat(rejectionOf(membershipWith(data -> data.remove("public_user_data"))))
                .isEqualTo(RejectionReason.MEMBERSHIP_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_a_membership_event_without_its_id() {
        assertThat(rejectionOf(membershipWith(data -> data.remove("id"))))
                .isEqualTo(RejectionReason.MEMBERSHIP_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_a_membership_update_whose_updated_at_is_not_a_number() {
        assertThat(rejectionOf(membershipWith(data -> data.put("updated_at", "yesterday"))))
                .isEqualTo(RejectionReason.MEMBERSHIP_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_an_organization_event_without_its_id() {
        ObjectNode event = OrganizationEvents.organization("organization.updated", "org_1", UPDATED).event();
        ((ObjectNode) event.get("data")).remove("id");

        assertThat(rejectionOf(event.toString())).isEqualTo(RejectionReason.ORGANIZATION_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_an_organization_update_whose_updated_at_is_not_a_number() {
        ObjectNode event = OrganizationEvents.organization("organization.updated", "org_1", UPDATED).event();
        ((ObjectNode) event.get("data")).put("updated_at", 1.5);

        assertThat(rejectionOf(event.toString())).isEqualTo(RejectionReason.ORGANIZATION_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_an_organization_deletion_without_an_envelope_timestamp() {
        ObjectNode event = OrganizationEvents.organizationDeleted("org_1", ENVELOPE).event();
        event.remove("timestamp");

        assertThat(rejectionOf(event.toString())).isEqualTo(RejectionReason.ORGANIZATION_EVENT_INCOMPLETE);
    }

    private static String membershipWith(Consumer<ObjectNode> change) {
        OrganizationEvents event = OrganizationEvents.membership("organizationMembership.updated", "orgmem_1", "org_1",
                "user_1", UPDATED);
        change.accept(event.data());
        return event.json();
    }

    private static ClerkEvent parse(String payload) throws RejectedDeliveryException {
        return ClerkEventParser.parse("msg_1", payload, RECEIVED_AT);
    }

    private static RejectionReason rejectionOf(String payload) {
        Throwable thrown = catchThrowable(() -> parse(payload));
        assertThat(thrown).isInstanceOf(RejectedDeliveryException.class);
        return ((RejectedDeliveryException) thrown).reason();
    }
}
