package dev.clerksync.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whether the stores hold the same state of a record, and in which fields they differ. A field
 * missing from one store and null in the other is the same state (MongoDB leaves out what the
 * relational store keeps as null, e.g. {@code data} on a tombstone); a record missing from one
 * store differs in every field the other holds.
 */
public final class StoreComparison {

    /**
     * Columns the relational store keeps for itself, with no field in MongoDB: {@code change_seq}
     * numbers a record's change events (docs/change-events.md) and is no part of the record's state.
     */
    static final Set<String> RELATIONAL_ONLY = Set.of("change_seq");

    private StoreComparison() {
    }

    /** The fields (in the relational store's column names) in which the copies differ; empty when they agree. */
    public static List<String> differences(List<ObjectNode> copies) {
        List<ObjectNode> present = new ArrayList<>();
        for (ObjectNode copy : copies) {
            present.add(copy == null ? JsonValues.object() : copy);
        }
        TreeSet<String> fields = new TreeSet<>();
        present.forEach(copy -> copy.fieldNames().forEachRemaining(fields::add));
        List<String> differing = new ArrayList<>();
        fields.removeAll(RELATIONAL_ONLY);
        for (String field : fields) {
            JsonNode first = valueOf(present.get(0), field);
            for (ObjectNode other : present.subList(1, present.size())) {
                if (!first.equals(JsonValues.SAME_VALUE, valueOf(other, field))) {
                    differing.add(field);
                    break;
                }
            }
        }
        return differing;
    }

    private static JsonNode valueOf(ObjectNode copy, String field) {
        JsonNode value = copy.get(field);
        return value == null ? NullNode.instance : value;
    }
}
