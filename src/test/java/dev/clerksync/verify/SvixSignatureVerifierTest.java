package dev.clerksync.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Webhook;
import dev.clerksync.support.Fixtures;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SvixSignatureVerifierTest {

    private static final String SECRET = "whsec_trpbO1xpFp9nZNA3qrkCowQFPthE5u0O";
    private static final String OTHER_SECRET = "whsec_OuExNO3HXW+EhPFW4GbZgGEZxUUNZFjr";
    private static final String MSG_ID = "msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    private static final String PAYLOAD = "{\"type\":\"user.created\",\"data\":{\"id\":\"user_1\"}}";

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SvixSignatureVerifier verifier = new SvixSignatureVerifier(WebhookSecrets.parse(SECRET));

    /** Started, as in the service: only a started context gives messages case-insensitive headers. */
    @BeforeAll
    static void startCamel() {
        CAMEL.start();
    }

    @AfterAll
    static void closeCamel() throws Exception {
        CAMEL.close();
    }

    @Test
    void accepts_a_valid_delivery_and_hands_on_its_id_and_its_text_body() throws Exception {
        Exchange exchange = delivery().exchange();

        verifier.process(exchange);

        assertThat(exchange.getProperty(SvixSignatureVerifier.SVIX_ID)).isEqualTo(MSG_ID);
        assertThat(exchange.getMessage().getBody()).isInstanceOf(String.class).isEqualTo(PAYLOAD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownAnswerVectors")
    void signs_each_known_answer_vector_with_exactly_its_expected_signature(String file) throws Exception {
        JsonNode vector = JSON.readTree(Fixtures.read(file));
        Webhook webhook = WebhookSecrets.parse(vector.get("secret").asText()).webhooks().get(0);

        String signature = webhook.sign(vector.get("msg_id").asText(),
                Long.parseLong(vector.get("timestamp").asText()), vector.get("payload").asText());

        assertThat(signature).isEqualTo(vector.get("expected_signature").asText());
    }

    static Stream<String> knownAnswerVectors() {
        return Fixtures.jsonFiles("signed").stream();
    }

    @Test
    void rejects_a_signature_with_one_character_changed() {
        UnaryOperator<String> changeOneCharacter = signature -> {
            int at = "v1,".length();
            char replacement = signature.charAt(at) == 'A' ? 'B' : 'A';
            return signature.substring(0, at) + replacement + signature.substring(at + 1);
        };

        assertThat(rejectionOf(delivery().signature(changeOneCharacter)))
                .isEqualTo(RejectionReason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejects_a_delivery_signed_with_another_secret() {
        assertThat(rejectionOf(delivery().signedWith(OTHER_SECRET))).isEqualTo(RejectionReason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejects_a_timestamp_older_than_five_minutes() {
        assertThat(rejectionOf(delivery().timestampShiftedBy(-301))).isEqualTo(RejectionReason.TIMESTAMP_TOO_OLD);
    }

    @Test
    void rejects_a_timestamp_more_than_five_minutes_in_the_future() {
        assertThat(rejectionOf(delivery().timestampShiftedBy(301))).isEqualTo(RejectionReason.TIMESTAMP_TOO_NEW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"svix-id", "svix-timestamp", "svix-signature"})
    void rejects_a_delivery_missing_one_signature_header(String header) {
        assertThat(rejectionOf(delivery().without(header))).isEqualTo(RejectionReason.MISSING_HEADERS);
    }

    @Test
    void rejects_a_signature_header_holding_only_an_unknown_version() {
        UnaryOperator<String> asVersion2 = signature -> "v2," + signature.substring("v1,".length());

        assertThat(rejectionOf(delivery().signature(asVersion2))).isEqualTo(RejectionReason.SIGNATURE_MISMATCH);
    }

    @Test
    void rejects_a_timestamp_that_is_not_a_number() {
        assertThat(rejectionOf(delivery().header("svix-timestamp", "yesterday")))
                .isEqualTo(RejectionReason.MALFORMED_HEADERS);
    }

    @Test
    void rejects_an_id_header_sent_twice() {
        assertThat(rejectionOf(delivery().header("svix-id", List.of(MSG_ID, "msg_other"))))
                .isEqualTo(RejectionReason.MALFORMED_HEADERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg_\u0000abc", "msg_\tabc", "msg_\u001babc", "msg_\u007fabc"})
    void rejects_an_id_with_a_control_character(String id) {
        assertThat(rejectionOf(delivery().id(id))).isEqualTo(RejectionReason.MALFORMED_HEADERS);
    }

    @Test
    void rejects_an_id_longer_than_256_characters() {
        assertThat(rejectionOf(delivery().id("m".repeat(257)))).isEqualTo(RejectionReason.MALFORMED_HEADERS);
    }

    @Test
    void accepts_an_id_of_exactly_256_characters() {
        assertAccepted(delivery().id("m".repeat(256)));
    }

    @Test
    void accepts_a_header_with_several_signatures_when_one_of_them_matches() {
        UnaryOperator<String> amongOthers = signature ->
                "v1,bm90IHRoZSByaWdodCBvbmU= " + signature + " v2,b3RoZXIgc2NoZW1l";

        assertAccepted(delivery().signature(amongOthers));
    }

    @ParameterizedTest(name = "separated by \"{0}\"")
    @ValueSource(strings = {",", " "})
    void accepts_a_delivery_signed_with_the_second_of_two_configured_secrets(String separator) {
        SvixSignatureVerifier duringRotation =
                new SvixSignatureVerifier(WebhookSecrets.parse(OTHER_SECRET + separator + SECRET));
        Exchange exchange = delivery().signedWith(SECRET).exchange();

        assertThatNoException().isThrownBy(() -> duringRotation.process(exchange));
    }

    @Test
    void accepts_the_standard_webhooks_header_names() {
        assertAccepted(delivery().headerNames(name -> name.replace("svix-", "webhook-")));
    }

    @Test
    void accepts_upper_case_header_names() {
        assertAccepted(delivery().headerNames(String::toUpperCase));
    }

    @Test
    void accepts_a_non_ascii_payload_and_passes_it_on_unchanged() throws Exception {
        String payload = "{\"type\":\"user.created\",\"data\":{\"id\":\"user_1\",\"first_name\":\"Zoë 🚀 Ünïcödé\"}}";
        Exchange exchange = delivery().payload(payload).exchange();

        verifier.process(exchange);

        assertThat(exchange.getMessage().getBody()).isEqualTo(payload);
    }

    @Test
    void rejects_a_body_that_is_not_valid_utf8() {
        byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28};

        assertThat(rejectionOf(delivery().body(invalidUtf8))).isEqualTo(RejectionReason.BODY_NOT_UTF8);
    }

    private void assertAccepted(Delivery delivery) {
        Exchange exchange = delivery.exchange();
        assertThatNoException().isThrownBy(() -> verifier.process(exchange));
    }

    private RejectionReason rejectionOf(Delivery delivery) {
        Exchange exchange = delivery.exchange();
        Throwable thrown = catchThrowable(() -> verifier.process(exchange));
        assertThat(thrown).isInstanceOf(RejectedDeliveryException.class);
        return ((RejectedDeliveryException) thrown).reason();
    }

    private static Delivery delivery() {
        return new Delivery();
    }

    /**
     * A delivery that verifies unless one of its parts is changed. It is signed when the exchange is
     * built, with the current time, so the timestamp is always fresh.
     */
    private static final class Delivery {

        private String secret = SECRET;
        private String id = MSG_ID;
        private String payload = PAYLOAD;
        private byte[] body;
        private long timestampShift;
        private UnaryOperator<String> signatureChange = UnaryOperator.identity();
        private UnaryOperator<String> headerNames = UnaryOperator.identity();
        private final Map<String, Object> headerChanges = new LinkedHashMap<>();

        Delivery signedWith(String secret) {
            this.secret = secret;
            return this;
        }

        Delivery id(String id) {
            this.id = id;
            return this;
        }

        Delivery payload(String payload) {
            this.payload = payload;
            return this;
        }

        /** The bytes sent instead of the signed payload. */
        Delivery body(byte[] body) {
            this.body = body;
            return this;
        }

        Delivery timestampShiftedBy(long seconds) {
            this.timestampShift = seconds;
            return this;
        }

        /** Sends a value derived from the correct signature header instead. */
        Delivery signature(UnaryOperator<String> change) {
            this.signatureChange = change;
            return this;
        }

        Delivery headerNames(UnaryOperator<String> rename) {
            this.headerNames = rename;
            return this;
        }

        Delivery header(String name, Object value) {
            headerChanges.put(name, value);
            return this;
        }

        Delivery without(String name) {
            return header(name, null);
        }

        Exchange exchange() {
            Exchange exchange = new DefaultExchange(CAMEL);
            long timestamp = Instant.now().getEpochSecond() + timestampShift;
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("svix-id", id);
            headers.put("svix-timestamp", String.valueOf(timestamp));
            headers.put("svix-signature", signatureChange.apply(sign(timestamp)));
            headers.putAll(headerChanges);
            headers.forEach((name, value) -> {
                if (value != null) {
                    exchange.getMessage().setHeader(headerNames.apply(name), value);
                }
            });
            exchange.getMessage().setBody(body != null ? body : payload.getBytes(StandardCharsets.UTF_8));
            return exchange;
        }

        private String sign(long timestamp) {
            try {
                return WebhookSecrets.parse(secret).webhooks().get(0).sign(id, timestamp, payload);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
