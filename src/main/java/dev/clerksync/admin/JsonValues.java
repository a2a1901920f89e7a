package dev.clerksync.admin;

import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.types.ObjectId;

/**
 * One form for the values both stores hold: times as ISO-8601 UTC text, JSON as JSON, BSON
 * documents as objects. Comparing stores needs the same form on both sides.
 */
public final class JsonValues {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** Numbers equal by value (an int in one store, a long or a double in the other), the rest by equals. */
    public static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonValues() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static JsonNode time(Instant instant) {
        return instant == null ? NullNode.instance : JsonNodeFactory.instance.textNode(instant.toString());
    }

    /** JSON text as stored (jsonb, H2's JSON); a text node when it does not parse. */
    public static JsonNode parse(String json) {
        if (json == null) {
            return NullNode.instance;
        }
        try {
            JsonNode node = MAPPER.readTree(json);
            // H2 can hand back a JSON value that was stored as a JSON string: unwrap it once.
            if (node.isTextual() && node.asText().startsWith("{")) {
                return MAPPER.readTree(node.asText());
            }
            return node;
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(json);
        }
    }

    /** A BSON value (from a document the driver read) as JSON. */
    public static JsonNode fromBson(Object value) {
        if (value == null) {
            return NullNode.instance;
        }
        if (value instanceof Date date) {
            return time(date.toInstant());
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = object();
            map.forEach((key, inner) -> node.set(String.valueOf(key), fromBson(inner)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = array();
            list.forEach(inner -> node.add(fromBson(inner)));
            return node;
        }
        if (value instanceof ObjectId id) {
            return JsonNodeFactory.instance.textNode(id.toHexString());
        }
        if (value instanceof org.bson.types.Decimal128 decimal) {
            return JsonNodeFactory.instance.numberNode(decimal.bigDecimalValue());
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return MAPPER.valueToTree(value);
        }
        return JsonNodeFactory.instance.textNode(String.valueOf(value));
    }

    /** {@code lastEventAt} → {@code last_event_at}, {@code _id} → {@code id}: MongoDB's names in the relational store's. */
    public static String columnName(String field) {
        if (field.equals("_id")) {
            return "id";
        }
        StringBuilder column = new StringBuilder();
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) {
                column.append('_').append(Character.toLowerCase(c));
            } else {
                column.append(c);
            }
        }
        return column.toString();
    }

}
