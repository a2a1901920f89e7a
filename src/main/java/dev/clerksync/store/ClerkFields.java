package dev.clerksync.store;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the text fields of Clerk objects: a field that is absent, null or not a string is null. */
final class ClerkFields {

    private ClerkFields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
