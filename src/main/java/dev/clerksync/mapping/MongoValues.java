package dev.clerksync.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clerksync.store.StorableJson;

/**
 * A source value as MongoDB stores it (contract §11): strings, BSON dates for the own table's times,
 * booleans, numbers, sub-documents and arrays (keys escaped as clerk-sync's own documents escape
 * them, {@link StorableJson}).
 */
final class MongoValues {

    private MongoValues() {
    }

    static Object toBson(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return StorableJson.withoutNul(text);
        }
        if (value instanceof Instant instant) {
            return Date.from(instant);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof JsonNode node) {
            // Through a wrapper, so that arrays and scalars convert as a document's values do.
            return StorableJson.toDocument(JsonNodeFactory.instance.objectNode().set("v", node)).get("v");
        }
        return value;
    }
}
