package dev.clerksync.admin;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;

/**
 * A record's rows and documents in the application's own tables and collections (contract §11,
 * dev.clerksync.mapping), each beside what the mapping's projection of clerk-sync's own record
 * says it should hold (docs/admin-view.md, {@code mapped}).
 */
public interface MappedReads {

    /** No mappings: nothing to show. */
    MappedReads NONE = (kind, id, own) -> List.of();

    /**
     * One entry per mapping target of this kind of record: {@code mapping}, {@code store},
     * {@code target}, {@code row} and {@code expected} (null when there is, or should be, none),
     * {@code agree} and {@code differences} (the columns or fields that differ).
     *
     * @param own the record in the deciding store, in the relational store's column names (null when absent)
     */
    List<ObjectNode> of(RecordKind kind, String id, ObjectNode own);
}
