package dev.clerksync.store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * Makes any verified JSON storable (docs/how-it-works.md). Neither store takes U+0000, so it becomes U+FFFD
 * in keys and values; MongoDB also restricts keys that start with {@code $} or contain {@code .},
 * so in documents those characters become U+FF04 and U+FF0E, at any depth.
 */
public final class StorableJson {

    static final char NUL = '\u0000';
    static final char REPLACEMENT = '\uFFFD';
    static final char FULLWIDTH_DOLLAR = '\uFF04';
    static final char FULLWIDTH_FULL_STOP = '\uFF0E';

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final BigDecimal DECIMAL128_LIMIT = new BigDecimal("1E+6144");

    private StorableJson() {
    }

    /** The text with U+0000 replaced, for text columns and fields. */
    public static String withoutNul(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /**
     * The tree without U+0000 in any key or string: the same instance when there is none (almost
     * always), otherwise a copy of what had to change.
     */
    public static JsonNode withoutNul(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            return text.indexOf(NUL) < 0 ? node : JsonNodeFactory.instance.textNode(withoutNul(text));
        }
        if (node.isArray()) {
            ArrayNode copy = null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                JsonNode clean = withoutNul(element);
                if (clean != element && copy == null) {
                    copy = JsonNodeFactory.instance.arrayNode(node.size());
                    for (int j = 0; j < i; j++) {
                        copy.add(node.get(j));
                    }
                }
                if (copy != null) {
                    copy.add(clean);
                }
            }
            return copy == null ? node : copy;
        }
        if (node.isObject()) {
            ObjectNode copy = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = withoutNul(field.getKey());
                JsonNode clean = withoutNul(field.getValue());
                if ((clean != field.getValue() || !key.equals(field.getKey())) && copy == null) {
                    copy = copyBefore((ObjectNode) node, field.getKey());
                }
                if (copy != null) {
                    copy.set(key, clean);
                }
            }
            return copy == null ? node : copy;
        }
        return node;
    }

    /** A new object with the fields of {@code node} that come before {@code stopKey}, in order. */
    private static ObjectNode copyBefore(ObjectNode node, String stopKey) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(stopKey)) {
                break;
            }
            copy.set(field.getKey(), field.getValue());
        }
        return copy;
    }

    /** JSON text for a PostgreSQL jsonb or H2 JSON column. */
    public static String toSqlJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(withoutNul(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    /** A BSON document for an object node, with keys escaped for MongoDB. */
    public static Document toDocument(JsonNode object) {
        Document document = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            document.append(mongoKey(field.getKey()), toBsonValue(field.getValue()));
        }
        return document;
    }

    static String mongoKey(String key) {
        String escaped = withoutNul(key).replace('.', FULLWIDTH_FULL_STOP);
        return escaped.startsWith("$") ? FULLWIDTH_DOLLAR + escaped.substring(1) : escaped;
    }

    private static Object toBsonValue(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return toDocument(node);
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(toBsonValue(element)));
                return list;
            case STRING:
                return withoutNul(node.asText());
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                return toBsonNumber(node);
            default:
                return null;
        }
    }

    /** Integers as int64 where they fit, other numbers as double, Decimal128, or as text when BSON has no room. */
    private static Object toBsonNumber(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return node.intValue();
            }
            if (node.canConvertToLong()) {
                return node.longValue();
            }
            return decimalOrText(new BigDecimal(node.bigIntegerValue()));
        }
        double value = node.doubleValue();
        if (Double.isFinite(value) && (value != 0.0 || node.decimalValue().signum() == 0)) {
            return value;
        }
        return decimalOrText(node.decimalValue());
    }

    private static Object decimalOrText(BigDecimal value) {
        try {
            if (value.abs().compareTo(DECIMAL128_LIMIT) < 0) {
                return new Decimal128(value);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // more significant digits than Decimal128 holds: keep the exact text instead
        }
        return value.toString();
    }
}
