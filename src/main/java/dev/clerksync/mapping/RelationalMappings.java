package dev.clerksync.mapping;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.clerksync.store.Outcome;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.relational.CascadeWork;
import dev.clerksync.store.relational.RelationalDecider;

/**
 * The mapped tables' writes in the decider's transaction (contract §11), after each round's
 * decisions of one action: a mapped row commits with clerk-sync's own row or not at all, and what
 * the decider did not apply (duplicate, stale, ignored) touches no mapped row. Per mapping, one
 * set-based statement per round and action on PostgreSQL ({@link MappedTable}):
 * <ul>
 * <li>an applied upsert of the mapping's record kind writes its row;</li>
 * <li>an applied deletion applies {@code on-delete} to its row, and a user's or organization's
 * deletion to the rows of the memberships its cascade deleted;</li>
 * <li>audit: every delivery this request recorded gets its row (insert-only, erased as its entry
 * is), and a user's deletion erases the rows of the user's other entries.</li>
 * </ul>
 * A delivery audited already (a retry, a racing duplicate) did all this in the transaction that
 * recorded it. A deletion whose cascade or erasure was left for after the answer (CascadeWork,
 * docs/design.md decision 16) cascaded to no membership here and erases no audit row: each chunk
 * does that to its own memberships' and entries' rows, in the chunk's transaction.
 */
final class RelationalMappings implements RelationalDecider.AfterDecisions, CascadeWork.AfterChunk {

    private final List<MappedTable> tables;

    RelationalMappings(List<MappedTable> tables) {
        this.tables = tables;
    }

    @Override
    public void decided(Connection connection, SyncAction action, List<RelationalDecider.Decision> decisions)
            throws SQLException {
        List<RelationalDecider.Decision> recorded = decisions.stream().filter(RelationalDecider.Decision::completed).toList();
        List<RelationalDecider.Decision> applied = recorded.stream()
                .filter(decision -> Outcome.APPLIED.is(decision.outcome())).toList();
        for (MappedTable table : tables) {
            RecordKind kind = table.mapping().record();
            if (kind == RecordKind.AUDIT) {
                table.upsert(connection, rows(kind, recorded), true);
                List<RelationalDecider.Decision> erasing = applied.stream()
                        .filter(decision -> !decision.erasureDeferred()).toList();
                if (action == SyncAction.DELETE_USER && !erasing.isEmpty()) {
                    table.erase(connection, subjects(erasing), erasing.stream().map(RelationalDecider.Decision::eventId).toList());
                }
            } else if (action == kind.upsert()) {
                table.upsert(connection, rows(kind, applied), false);
            } else if (action == kind.delete()) {
                table.onDelete(connection, subjects(applied));
            } else if (kind == RecordKind.MEMBERSHIP
                    && (action == SyncAction.DELETE_USER || action == SyncAction.DELETE_ORGANIZATION)) {
                List<String> cascaded = new ArrayList<>();
                applied.forEach(decision -> cascaded.addAll(decision.cascadedIds()));
                table.onDelete(connection, cascaded);
            }
        }
    }

    @Override
    public void membershipsDeleted(Connection connection, List<String> ids) throws SQLException {
        for (MappedTable table : tables) {
            if (table.mapping().record() == RecordKind.MEMBERSHIP) {
                table.onDelete(connection, ids);
            }
        }
    }

    @Override
    public void entriesErased(Connection connection, List<String> eventIds) throws SQLException {
        for (MappedTable table : tables) {
            if (table.mapping().record() == RecordKind.AUDIT) {
                table.eraseEntries(connection, eventIds);
            }
        }
    }

    private static List<SourceRow> rows(RecordKind kind, List<RelationalDecider.Decision> decisions) {
        return decisions.stream()
                .map(decision -> SourceRow.fromParameters(kind, decision.parameters(), decision.outcome(), decision.erased()))
                .toList();
    }

    private static List<String> subjects(List<RelationalDecider.Decision> decisions) {
        return decisions.stream().map(decision -> (String) decision.parameters().get("subjectId")).toList();
    }
}
