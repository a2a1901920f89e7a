package dev.clerksync.mapping;

import java.util.Map;

import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.store.RecordKind;

/**
 * One mapping as its file declares it (contract §11), checked for form but not yet against the
 * stores ({@link MappingCheck}): a record kind and at most one table and one collection.
 */
public record Mapping(String file, String id, RecordKind record, Table postgres, Collection mongodb) {

    /** What happens to a mapped row or document when its record is deleted. */
    enum OnDelete { DELETE, KEEP }

    /** {@code schema} null: the database's search path (PostgreSQL) or current schema (H2). */
    record Table(String schema, String table, String key, Map<String, Source> columns, OnDelete onDelete) {

        String displayName() {
            return schema == null ? table : schema + "." + table;
        }
    }

    record Collection(String collection, String key, Map<String, Source> fields, OnDelete onDelete) {
    }

    /** A configuration error about this mapping: one line naming the file, the mapping and the problem. */
    InvalidConfigurationException problem(String problem) {
        return InvalidMapping.of(file, id, problem);
    }
}
