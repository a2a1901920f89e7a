package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.support.Fixtures;
import dev.clerksync.verify.RejectedDeliveryException;
import org.junit.jupiter.api.Test;

class AuditPayloadTest {

    /** The one-time code of the email example. */
    private static final String OTP = "123456";

    @Test
    void removes_the_message_contents_of_an_email_event() throws Exception {
        JsonNode payload = AuditPayload.of(event("email.created.json"));

        assertThat(payload.get("data").fieldNames()).toIterable()
                .doesNotContain("body", "body_plain", "subject", "message", "data")
                .contains("id", "to_email_address", "user_id", "status", "slug");
        assertThat(payload.get("type").asText()).isEqualTo("email.created");
        assertThat(payload.toString()).doesNotContain(OTP);
    }

    @Test
    void removes_the_message_of_an_sms_event() throws Exception {
        JsonNode payload = AuditPayload.of(event("sms.created.json"));

        assertThat(payload.get("data").fieldNames()).toIterable()
                .doesNotContain("message", "data")
                .contains("id", "to_phone_number", "user_id", "status");
        assertThat(payload.get("type").asText()).isEqualTo("sms.created");
        assertThat(payload.toString()).doesNotContain("Your verification code is");
    }

    @Test
    void leaves_the_event_it_redacts_unchanged() throws Exception {
        ClerkEvent event = event("email.created.json");
        JsonNode before = event.root().deepCopy();

        AuditPayload.of(event);

        assertThat(event.root()).isEqualTo(before);
        assertThat(event.data().has("body")).isTrue();
    }

    /** The user.deleted entry is the one erasure keeps: no address or browser of the person may stay in it. */
    @Test
    void removes_the_requests_address_and_browser_from_a_user_deletion() throws Exception {
        ClerkEvent event = event("user.deleted.json");
        assertThat(event.root().path("event_attributes").path("http_request").has("client_ip")).isTrue();

        JsonNode payload = AuditPayload.of(event);

        assertThat(payload.path("event_attributes").path("http_request").has("client_ip")).isFalse();
        assertThat(payload.path("event_attributes").path("http_request").has("user_agent")).isFalse();
        assertThat(payload.get("data")).isEqualTo(event.data());
        assertThat(event.root().path("event_attributes").path("http_request").has("client_ip")).as("the event itself").isTrue();
    }

    @Test
    void keeps_a_user_event_as_received() throws Exception {
        ClerkEvent event = event("user.created.json");

        assertThat(AuditPayload.of(event)).isEqualTo(event.root());
    }

    private static ClerkEvent event(String fixture) throws RejectedDeliveryException {
        return ClerkEventParser.parse("msg_1", Fixtures.read(fixture), Instant.now());
    }
}
