package dev.clerksync.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.Fixtures;
import dev.clerksync.verify.RejectedDeliveryException;
import dev.clerksync.verify.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClerkEventParserTest {

    private static final String SVIX_ID = "msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    private static final Instant RECEIVED_AT = Instant.parse("2024-06-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The smallest event that parses: every rejection below changes one thing in it. */
    private static final String VALID_USER_UPDATED =
            "{\"type\":\"user.updated\",\"timestamp\":1716883500000,"
                    + "\"data\":{\"id\":\"user_1\",\"updated_at\":1716883500000}}";

    @ParameterizedTest(name = "{0}")
    @MethodSource("clerkExamples")
    void parses_every_clerk_example_into_the_type_of_its_file_and_its_data_id(String file) throws Exception {
        ClerkEvent event = parse(Fixtures.read(file));

        assertThat(event.type()).isEqualTo(file.substring(0, file.length() - ".json".length()));
        assertThat(event.subjectId()).isNotNull().isEqualTo(event.data().get("id").asText());
        assertThat(event.svixId()).isEqualTo(SVIX_ID);
        assertThat(event.receivedAt()).isEqualTo(RECEIVED_AT);
    }

    static Stream<String> clerkExamples() {
        return Fixtures.jsonFiles("").stream();
    }

    @Test
    void parses_the_minimal_user_event_the_rejections_start_from() throws Exception {
        ClerkEvent event = parse(VALID_USER_UPDATED);

        assertThat(event.type()).isEqualTo("user.updated");
        assertThat(event.subjectId()).isEqualTo("user_1");
    }

    @Test
    void reads_an_envelope_timestamp_given_in_seconds() throws Exception {
        assertThat(parseFixture("user.created.json").eventAt()).isEqualTo(Instant.parse("2024-05-28T08:00:00Z"));
    }

    @Test
    void reads_an_envelope_timestamp_given_in_milliseconds() throws Exception {
        assertThat(parseFixture("variants/docs-overview/user.created.json").eventAt())
                .isEqualTo(Instant.parse("2022-05-31T15:56:31.835Z"));
    }

    @Test
    void orders_a_user_update_by_its_data_updated_at() throws Exception {
        assertThat(parseFixture("user.updated.json").clock()).isEqualTo(Instant.ofEpochMilli(1716883500000L));
    }

    @Test
    void orders_a_user_deletion_by_its_envelope_timestamp() throws Exception {
        assertThat(parseFixture("user.deleted.json").clock()).isEqualTo(Instant.parse("2024-05-28T08:00:00Z"));
    }

    @Test
    void rejects_a_body_that_is_not_json() {
        assertThat(rejectionOf("this is not json")).isEqualTo(RejectionReason.BODY_NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"type\":\"user.updated\",", "\"id\":\"user_1\","})
    void rejects_a_key_given_twice_in_the_same_object(String member) {
        String duplicated = VALID_USER_UPDATED.replace(member, member + member.replace("user", "other"));

        assertThat(rejectionOf(duplicated)).isEqualTo(RejectionReason.BODY_NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {" garbage", "}", " {}"})
    void rejects_anything_after_the_event_object(String trailing) {
        assertThat(rejectionOf(VALID_USER_UPDATED + trailing)).isEqualTo(RejectionReason.BODY_NOT_JSON);
    }

    @Test
    void rejects_nesting_deeper_than_200_levels_without_overflowing_the_stack() {
        int depth = 100_000;
        String deep = VALID_USER_UPDATED.replace("\"data\":{",
                "\"data\":{\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + ",");

        // rejectionOf fails unless the parser throws a RejectedDeliveryException, so a StackOverflowError fails too
        assertThat(rejectionOf(deep)).isEqualTo(RejectionReason.BODY_NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[" + VALID_USER_UPDATED + "]", "\"user.updated\"", "null", "42"})
    void rejects_a_body_that_is_json_but_not_an_object(String notAnObject) {
        assertThat(rejectionOf(notAnObject)).isEqualTo(RejectionReason.NOT_AN_EVENT);
    }

    @Test
    void rejects_an_event_without_a_type() {
        assertThat(rejectionOf(validWith(event -> event.remove("type")))).isEqualTo(RejectionReason.NOT_AN_EVENT);
    }

    @Test
    void rejects_an_event_whose_type_is_not_a_string() {
        assertThat(rejectionOf(validWith(event -> event.put("type", 42)))).isEqualTo(RejectionReason.NOT_AN_EVENT);
    }

    @Test
    void rejects_an_event_whose_data_is_not_an_object() {
        assertThat(rejectionOf(validWith(event -> event.putArray("data").add("user_1"))))
                .isEqualTo(RejectionReason.NOT_AN_EVENT);
    }

    @Test
    void rejects_a_user_update_without_data_id() {
        assertThat(rejectionOf(validWith(event -> event.withObjectProperty("data").remove("id"))))
                .isEqualTo(RejectionReason.USER_EVENT_INCOMPLETE);
    }

    @Test
    void rejects_a_user_update_without_data_updated_at() {
        assertThat(rejectionOf(validWith(event -> event.withObjectProperty("data").remove("updated_at"))))
                .isEqualTo(RejectionReason.USER_EVENT_INCOMPLETE);
    }

    @Test
    void parses_an_event_of_another_type_without_data_id() throws Exception {
        ClerkEvent event = parse(validWith(e -> {
            e.put("type", "session.created");
            e.withObjectProperty("data").remove("id");
        }));

        assertThat(event.type()).isEqualTo("session.created");
        assertThat(event.subjectId()).isNull();
        assertThat(event.clock()).isNull();
    }

    private static ClerkEvent parse(String payload) throws RejectedDeliveryException {
        return ClerkEventParser.parse(SVIX_ID, payload, RECEIVED_AT);
    }

    private static ClerkEvent parseFixture(String file) throws RejectedDeliveryException {
        return parse(Fixtures.read(file));
    }

    private static RejectionReason rejectionOf(String payload) {
        Throwable thrown = catchThrowable(() -> parse(payload));
        assertThat(thrown).isInstanceOf(RejectedDeliveryException.class);
        return ((RejectedDeliveryException) thrown).reason();
    }

    /** {@link #VALID_USER_UPDATED} with one change. */
    private static String validWith(Consumer<ObjectNode> change) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(VALID_USER_UPDATED);
            change.accept(event);
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
