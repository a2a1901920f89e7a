package dev.clerksync.backfill;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.admin.AdminStoreReads;
import dev.clerksync.admin.StoreComparison;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.backfill.DriftReport.DriftClass;
import dev.clerksync.event.ClerkEvent;

/**
 * Sorts what a reconcile pass meets into the {@link DriftReport}'s classes, by reading the stores
 * as the admin view does ({@link AdminStoreReads#comparable}) and comparing their copies as its
 * {@code agree} does ({@link StoreComparison}). Reads only.
 */
final class DriftCheck {

    private final AdminStoreReads relational;
    private final List<AdminStoreReads> stores;
    private final DriftReport report;

    /**
     * @param relational the relational store's reads (a backfill always has that store)
     * @param document   MongoDB's reads, or null without the document store (then stores never disagree)
     */
    DriftCheck(AdminStoreReads relational, AdminStoreReads document, DriftReport report) {
        this.relational = relational;
        this.stores = document == null ? List.of(relational) : List.of(relational, document);
        this.report = report;
    }

    DriftReport report() {
        return report;
    }

    /**
     * An object Clerk listed, as the event the pass would apply: the classes it falls in. A tombstone
     * stays one whatever Clerk lists (deletions are final), so only the stores' agreement counts then.
     */
    List<DriftClass> listed(Kind kind, ClerkEvent event) {
        String id = event.subjectId();
        List<ObjectNode> copies = copies(kind, id);
        ObjectNode row = copies.get(0);
        List<DriftClass> found = new ArrayList<>(2);
        if (row == null) {
            found.add(DriftClass.MISSING_HERE);
        } else if (isLive(row) && event.clock().isAfter(storedClock(row))) {
            found.add(DriftClass.NEWER_IN_CLERK);
        }
        if (disagree(copies)) {
            found.add(DriftClass.STORES_DISAGREE);
        }
        found.forEach(drift -> report.found(kind, drift, id));
        return found;
    }

    /** A live stored record Clerk did not list: whether its copies agree (whether Clerk still has it is asked apart). */
    boolean unlistedDisagree(Kind kind, String id) {
        boolean disagree = disagree(copies(kind, id));
        if (disagree) {
            report.found(kind, DriftClass.STORES_DISAGREE, id);
        }
        return disagree;
    }

    void goneFromClerk(Kind kind, String id) {
        report.found(kind, DriftClass.GONE_FROM_CLERK, id);
    }

    private List<ObjectNode> copies(Kind kind, String id) {
        return Arrays.asList(stores.stream().map(store -> store.comparable(kind.record(), id)).toArray(ObjectNode[]::new));
    }

    private boolean disagree(List<ObjectNode> copies) {
        boolean anywhere = copies.stream().anyMatch(copy -> copy != null);
        return anywhere && copies.size() > 1 && !StoreComparison.differences(copies).isEmpty();
    }

    private static boolean isLive(ObjectNode row) {
        JsonNode deletedAt = row.get("deleted_at");
        return deletedAt == null || deletedAt.isNull();
    }

    /** The ordering clock the stores hold ({@code last_event_at}); the epoch when there is none. */
    private static Instant storedClock(ObjectNode row) {
        JsonNode clock = row.get("last_event_at");
        return clock == null || clock.isNull() ? Instant.EPOCH : Instant.parse(clock.asText());
    }
}
