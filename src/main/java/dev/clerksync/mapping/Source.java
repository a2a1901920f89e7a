package dev.clerksync.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.store.RecordKind;

/**
 * Where a mapped column's value comes from (contract §11): a column of the record's own table, a
 * path into its JSON object ({@code data.<path>}, dot-separated keys, {@code [n]} for an array
 * index), or a template of {@code ${…}} sources. A value is null, a String, an Instant (the own
 * table's times), a Number, a Boolean or a JSON tree (an object or array), converted to the target's
 * type afterwards ({@link ValueType}, {@link MongoValues}).
 */
sealed interface Source {

    Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    Object valueIn(SourceRow row);

    /** Whether it reads the JSON object (the payload, for audit): what erasure removes. */
    boolean readsJson();

    /** Parses a source as a mapping file writes it; throws IllegalArgumentException naming what is wrong. */
    static Source parse(String text, RecordKind kind) {
        if (text.contains("${")) {
            return Template.parse(text, kind);
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("data.") || trimmed.startsWith("data[")) {
            return DataPath.parse(trimmed);
        }
        if (SourceColumns.of(kind).contains(trimmed)) {
            return new Column(trimmed, trimmed.equals(SourceColumns.json(kind)));
        }
        throw new IllegalArgumentException("unknown source '" + text + "': not a column of " + kind.table()
                + " (" + String.join(", ", SourceColumns.of(kind)) + "), a data.<path> or a ${…} template");
    }

    record Column(String name, boolean readsJson) implements Source {
        @Override
        public Object valueIn(SourceRow row) {
            return row.column(name);
        }
    }

    record DataPath(List<Object> steps) implements Source {

        static DataPath parse(String text) {
            String path = text.substring("data".length());
            List<Object> steps = new ArrayList<>();
            int at = 0;
            while (at < path.length()) {
                if (path.charAt(at) == '.') {
                    at++;
                }
                Matcher step = STEP.matcher(path);
                if (at >= path.length() || !step.find(at) || step.start() != at) {
                    throw new IllegalArgumentException("malformed path '" + text + "'");
                }
                steps.add(step.group(1) != null ? step.group(1) : (Object) Integer.parseInt(step.group(2)));
                at = step.end();
            }
            if (steps.isEmpty()) {
                throw new IllegalArgumentException("malformed path '" + text + "': write data for the whole object");
            }
            return new DataPath(List.copyOf(steps));
        }

        @Override
        public Object valueIn(SourceRow row) {
            JsonNode node = row.data();
            for (Object step : steps) {
                if (node == null) {
                    return null;
                }
                node = step instanceof Integer index ? node.get(index) : node.get((String) step);
            }
            return fromJson(node);
        }

        @Override
        public boolean readsJson() {
            return true;
        }
    }

    /** Literal text and sources, joined and trimmed; null when every source in it is null. */
    record Template(List<Object> parts) implements Source {

        static Template parse(String text, RecordKind kind) {
            List<Object> parts = new ArrayList<>();
            Matcher placeholder = PLACEHOLDER.matcher(text);
            int at = 0;
            while (placeholder.find()) {
                parts.add(text.substring(at, placeholder.start()));
                String inner = placeholder.group(1);
                if (inner.contains("${")) {
                    throw new IllegalArgumentException("nested template in '" + text + "'");
                }
                parts.add(Source.parse(inner, kind));
                at = placeholder.end();
            }
            String rest = text.substring(at);
            if (rest.contains("${")) {
                throw new IllegalArgumentException("unclosed ${ in '" + text + "'");
            }
            parts.add(rest);
            return new Template(List.copyOf(parts));
        }

        @Override
        public Object valueIn(SourceRow row) {
            StringBuilder joined = new StringBuilder();
            boolean any = false;
            for (Object part : parts) {
                if (part instanceof Source source) {
                    Object value = source.valueIn(row);
                    if (value != null) {
                        any = true;
                        joined.append(ValueType.asText(value));
                    }
                } else {
                    joined.append(part);
                }
            }
            return any ? joined.toString().trim() : null;
        }

        @Override
        public boolean readsJson() {
            return parts.stream().anyMatch(part -> part instanceof Source source && source.readsJson());
        }
    }

    /** A JSON value as a source value: scalars as Java values, containers as trees, null for null or absent. */
    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : node.decimalValue();
        }
        return node;
    }
}
