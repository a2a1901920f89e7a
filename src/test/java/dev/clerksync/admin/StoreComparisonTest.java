package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StoreComparisonTest {

    @Test
    void numbers_of_different_widths_and_a_missing_field_against_a_null_one_are_the_same_state() throws Exception {
        ObjectNode row = json("{\"id\":\"user_1\",\"data\":{\"n\":1730000000000,\"x\":1},\"deleted_at\":null}");
        ObjectNode document = json("{\"id\":\"user_1\",\"data\":{\"n\":1730000000000,\"x\":1.0}}");

        assertThat(StoreComparison.differences(List.of(row, document))).isEmpty();
    }

    @Test
    void the_relational_stores_own_change_sequence_is_no_difference() throws Exception {
        ObjectNode row = json("{\"id\":\"user_1\",\"change_seq\":3}");
        ObjectNode document = json("{\"id\":\"user_1\"}");

        assertThat(StoreComparison.differences(List.of(row, document))).isEmpty();
    }

    @Test
    void differing_fields_are_named_and_a_copy_missing_from_one_store_differs_in_everything() throws Exception {
        ObjectNode row = json("{\"id\":\"user_1\",\"first_name\":\"Ada\",\"data\":{\"a\":[1,2]}}");
        ObjectNode document = json("{\"id\":\"user_1\",\"first_name\":\"Eve\",\"data\":{\"a\":[2,1]}}");

        assertThat(StoreComparison.differences(List.of(row, document))).containsExactly("data", "first_name");
        assertThat(StoreComparison.differences(Arrays.asList(row, null))).containsExactly("data", "first_name", "id");
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JsonValues.MAPPER.readTree(text);
    }
}
