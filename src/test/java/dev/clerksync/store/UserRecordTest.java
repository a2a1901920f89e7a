package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.support.Fixtures;
import org.junit.jupiter.api.Test;

class UserRecordTest {

    private static final String RECEIVED = "variants/received-2024/user.created.json";
    private static final String DOCS = "variants/docs-overview/user.created.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void takes_the_primary_email_of_a_received_delivery() {
        assertThat(userFrom(RECEIVED).email()).isEqualTo("doo@paragraph.ink");
    }

    @Test
    void takes_the_primary_email_of_the_docs_example() {
        assertThat(userFrom(DOCS).email()).isEqualTo("example@example.org");
    }

    @Test
    void takes_the_email_whose_id_is_primary_even_when_it_is_not_the_first() {
        UserRecord user = userFrom(RECEIVED, data -> data.withArrayProperty("email_addresses")
                .insert(0, entry("idn_other", "email_address", "other@example.org")));

        assertThat(user.email()).isEqualTo("doo@paragraph.ink");
    }

    @Test
    void has_no_email_when_no_email_is_primary() {
        assertThat(userFrom(RECEIVED, data -> data.putNull("primary_email_address_id")).email()).isNull();
    }

    @Test
    void takes_the_phone_number_whose_id_is_primary_even_when_it_is_not_the_first() {
        UserRecord user = userFrom(RECEIVED, data -> {
            withTwoPhoneNumbers(data);
            data.put("primary_phone_number_id", "idn_phone_2");
        });

        assertThat(user.phoneNumber()).isEqualTo("+15555550102");
    }

    @Test
    void has_no_phone_number_when_no_phone_number_is_primary() {
        UserRecord user = userFrom(RECEIVED, UserRecordTest::withTwoPhoneNumbers);

        assertThat(user.phoneNumber()).isNull();
    }

    @Test
    void copies_the_id_names_and_image_of_the_user_object() {
        UserRecord user = userFrom(RECEIVED);

        assertThat(user.id()).isEqualTo("user_2o9QUL1HBjwFSVmJt9Jo1yA3PAl");
        assertThat(user.firstName()).isEqualTo("Count");
        assertThat(user.lastName()).isEqualTo("Dooku");
        assertThat(user.username()).isNull();
        assertThat(user.imageUrl()).startsWith("https://img.clerk.com/");
    }

    @Test
    void reads_created_at_and_updated_at_as_epoch_milliseconds() {
        UserRecord user = userFrom(RECEIVED);

        assertThat(user.createdAt()).isEqualTo(Instant.ofEpochMilli(1730279325003L));
        assertThat(user.updatedAt()).isEqualTo(Instant.ofEpochMilli(1730279325025L));
    }

    @Test
    void replaces_nul_in_the_first_name_by_the_replacement_character() {
        UserRecord user = userFrom(RECEIVED, data -> data.put("first_name", "Co\u0000unt"));

        assertThat(user.firstName()).isEqualTo("Co\uFFFDunt");
        assertThat(user.data().get("first_name").asText()).isEqualTo("Co\uFFFDunt");
    }

    private static UserRecord userFrom(String fixture) {
        return userFrom(fixture, data -> { });
    }

    /** The user of a fixture event whose {@code data} got one change. */
    private static UserRecord userFrom(String fixture, Consumer<ObjectNode> changeData) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(Fixtures.read(fixture));
            changeData.accept(event.withObjectProperty("data"));
            return UserRecord.from(ClerkEventParser.parse("msg_1", JSON.writeValueAsString(event), Instant.now()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two phone numbers and no primary one, as in the fixtures ({@code primary_phone_number_id} null). */
    private static void withTwoPhoneNumbers(ObjectNode data) {
        ArrayNode phones = data.withArrayProperty("phone_numbers");
        phones.add(entry("idn_phone_1", "phone_number", "+15555550101"));
        phones.add(entry("idn_phone_2", "phone_number", "+15555550102"));
    }

    private static ObjectNode entry(String id, String field, String value) {
        return JSON.createObjectNode().put("id", id).put(field, value);
    }
}
