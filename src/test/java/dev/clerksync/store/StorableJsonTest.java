package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

class StorableJsonTest {

    /** Reads numbers as the event parser does: decimals as BigDecimal, so nothing is rounded on the way in. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final String NUL_IN_KEY_AND_VALUE =
            "{\"na\\u0000me\":\"Zo\\u0000e\",\"list\":[{\"k\\u0000\":[\"v\\u0000\"]}]}";

    @Test
    void replaces_nul_in_keys_and_values_by_the_replacement_character_in_sql_json() {
        String sqlJson = StorableJson.toSqlJson(json(NUL_IN_KEY_AND_VALUE));

        assertThat(sqlJson).doesNotContain("\\u0000").doesNotContain("\u0000");
        assertThat(json(sqlJson)).isEqualTo(json("{\"na\uFFFDme\":\"Zo\uFFFDe\",\"list\":[{\"k\uFFFD\":[\"v\uFFFD\"]}]}"));
    }

    @Test
    void replaces_nul_in_keys_and_values_by_the_replacement_character_in_documents() {
        Document document = StorableJson.toDocument(json(NUL_IN_KEY_AND_VALUE));

        assertThat(document).isEqualTo(new Document("na\uFFFDme", "Zo\uFFFDe")
                .append("list", List.of(new Document("k\uFFFD", List.of("v\uFFFD")))));
    }

    @Test
    void escapes_a_leading_dollar_and_every_dot_of_a_key_at_any_depth_in_documents() {
        JsonNode tree = json("{\"$top\":1,\"top.level\":2,"
                + "\"outer\":{\"list\":[{\"$set\":3,\"a.b.c\":4,\"$x.y\":5}]}}");

        assertThat(StorableJson.toDocument(tree)).isEqualTo(new Document("\uFF04top", 1)
                .append("top\uFF0Elevel", 2)
                .append("outer", new Document("list", List.of(new Document("\uFF04set", 3)
                        .append("a\uFF0Eb\uFF0Ec", 4)
                        .append("\uFF04x\uFF0Ey", 5)))));
    }

    @Test
    void keeps_a_dollar_that_does_not_start_a_key() {
        Document document = StorableJson.toDocument(json("{\"price$\":1,\"a$b\":2}"));

        assertThat(document.keySet()).containsExactly("price$", "a$b");
    }

    @Test
    void never_escapes_values() {
        JsonNode tree = json("{\"dotted\":\"a.b\",\"dollar\":\"$x\",\"list\":[\"$in\",\"x.y\"]}");

        assertThat(StorableJson.toDocument(tree)).isEqualTo(new Document("dotted", "a.b")
                .append("dollar", "$x")
                .append("list", List.of("$in", "x.y")));
    }

    @Test
    void stores_integers_as_int32_or_int64() {
        Document document = StorableJson.toDocument(json("{\"small\":42,\"millis\":1716883500000}"));

        assertThat(document.get("small")).isInstanceOf(Integer.class).isEqualTo(42);
        assertThat(document.get("millis")).isInstanceOf(Long.class).isEqualTo(1716883500000L);
    }

    @Test
    void stores_a_30_digit_integer_as_an_exact_decimal128() {
        String digits = "123456789012345678901234567890";

        Object stored = StorableJson.toDocument(json("{\"n\":" + digits + "}")).get("n");

        assertThat(stored).isInstanceOf(Decimal128.class);
        assertThat(((Decimal128) stored).bigDecimalValue()).isEqualTo(new BigDecimal(digits));
    }

    @Test
    void stores_a_50_digit_integer_as_its_exact_decimal_text() {
        String digits = "12345678901234567890123456789012345678901234567891";

        assertThat(StorableJson.toDocument(json("{\"n\":" + digits + "}")).get("n")).isEqualTo(digits);
    }

    @Test
    void stores_a_decimal_as_a_double() {
        assertThat(StorableJson.toDocument(json("{\"n\":1.5}")).get("n")).isInstanceOf(Double.class).isEqualTo(1.5);
    }

    @Test
    void keeps_booleans_and_nulls() {
        Document document = StorableJson.toDocument(json("{\"yes\":true,\"no\":false,\"nothing\":null}"));

        assertThat(document).containsEntry("yes", true).containsEntry("no", false).containsEntry("nothing", null);
    }

    @Test
    void writes_sql_json_that_reads_back_to_an_equal_tree_when_there_is_nothing_to_escape() {
        JsonNode tree = json("{\"id\":\"user_1\",\"$top\":{\"a.b\":[1,-2.5,1716883500000,"
                + "123456789012345678901234567890,true,null]},\"name\":\"Zoë 🚀 Ünïcödé\",\"quote\":\"\\\"\\\\\\n\"}");

        assertThat(json(StorableJson.toSqlJson(tree))).isEqualTo(tree);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void a_tree_without_nul_is_returned_as_it_is_without_a_copy() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(
                "{\"a\":[1,{\"b\":\"x\"}],\"c\":{\"d\":\"y\"}}");

        assertThat(StorableJson.withoutNul(tree)).isSameAs(tree);
    }

    @Test
    void only_what_holds_a_nul_is_copied_and_the_order_of_fields_and_elements_is_kept() throws Exception {
        JsonNode tree = new ObjectMapper().readTree(
                "{\"first\":{\"k\":1},\"list\":[\"a\",\"b\\u0000\",\"c\"],\"last\":true}");

        JsonNode clean = StorableJson.withoutNul(tree);

        assertThat(clean.toString()).isEqualTo("{\"first\":{\"k\":1},\"list\":[\"a\",\"b\uFFFD\",\"c\"],\"last\":true}");
        assertThat(clean.get("first")).isSameAs(tree.get("first"));
        assertThat(tree.get("list").get(1).asText()).isEqualTo("b\u0000");
    }
}
