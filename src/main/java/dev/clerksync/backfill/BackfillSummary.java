package dev.clerksync.backfill;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;

/**
 * The counts of a backfill run, updated as pages are fetched and applied (thread-safe), and the
 * JSON summary line the run prints last on standard output:
 * {@code {"run","users":{"fetched","applied","unchanged","deleted"},"organizations":{…},
 * "memberships":{…},"subscriptions":{…},"subscription_items":{…},"requests","rate_limited","seconds"}}, and after a reconcile pass its
 * {@code "drift"} ({@link DriftReport#toJson()}).
 */
public final class BackfillSummary {

    /** What a backfill reads, in summary order: the record it writes and its key in the summary. */
    public enum Kind {
        USERS(RecordKind.USER, "users", true), ORGANIZATIONS(RecordKind.ORGANIZATION, "organizations", true),
        MEMBERSHIPS(RecordKind.MEMBERSHIP, "memberships", true),
        SUBSCRIPTIONS(RecordKind.SUBSCRIPTION, "subscriptions", false),
        SUBSCRIPTION_ITEMS(RecordKind.SUBSCRIPTION_ITEM, "subscription_items", false);

        private static final List<Kind> RECONCILED = Arrays.stream(values()).filter(kind -> kind.reconciled).toList();

        private final RecordKind record;
        private final String key;
        private final boolean reconciled;

        Kind(RecordKind record, String key, boolean reconciled) {
            this.record = record;
            this.key = key;
            this.reconciled = reconciled;
        }

        public RecordKind record() {
            return record;
        }

        public String key() {
            return key;
        }

        /** Whether a reconcile pass covers the kind: nothing deletes a billing record, so billing is not. */
        public boolean reconciled() {
            return reconciled;
        }

        /** The kinds a reconcile pass covers (and its drift report counts), in summary order. */
        public static List<Kind> reconciledKinds() {
            return RECONCILED;
        }
    }

    /** The counts of one kind. {@code total} is what Clerk reported, or -1 while unknown. */
    public static final class Counts {
        private final AtomicLong fetched = new AtomicLong();
        private final AtomicLong applied = new AtomicLong();
        private final AtomicLong unchanged = new AtomicLong();
        private final AtomicLong deleted = new AtomicLong();
        private final AtomicLong total = new AtomicLong(-1);

        public void fetched(long n) {
            fetched.addAndGet(n);
        }

        public void applied(long n) {
            applied.addAndGet(n);
        }

        public void unchanged(long n) {
            unchanged.addAndGet(n);
        }

        public void deleted(long n) {
            deleted.addAndGet(n);
        }

        /** Clerk's count ({@code /users/count}, {@code total_count}), for progress only. */
        public void total(long n) {
            total.set(n);
        }

        /** Adds to a total built up piece by piece (memberships: the sum of each organization's). */
        public void addToTotal(long n) {
            total.accumulateAndGet(n, (current, add) -> Math.max(current, 0) + add);
        }

        public long fetched() {
            return fetched.get();
        }

        public long applied() {
            return applied.get();
        }

        public long unchanged() {
            return unchanged.get();
        }

        public long deleted() {
            return deleted.get();
        }

        /** -1 while unknown. */
        public long total() {
            return total.get();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Kind, Counts> counts = new EnumMap<>(Kind.class);

    public BackfillSummary() {
        for (Kind kind : Kind.values()) {
            counts.put(kind, new Counts());
        }
    }

    public Counts of(Kind kind) {
        return counts.get(kind);
    }

    /**
     * The summary as one line of JSON.
     *
     * @param run         the run's id (the audit's {@code backfill:<run>:…})
     * @param requests    HTTP requests sent to Clerk ({@link ClerkApi#requests()})
     * @param rateLimited 429 answers seen ({@link ClerkApi#rateLimited()})
     * @param elapsed     the run's wall-clock time; printed in seconds with millisecond precision
     */
    public String toJson(String run, long requests, long rateLimited, Duration elapsed) {
        return toJson(run, requests, rateLimited, elapsed, null);
    }

    /** The summary with what a reconcile pass found ({@code drift}; null: a pass without --reconcile). */
    public String toJson(String run, long requests, long rateLimited, Duration elapsed, DriftReport drift) {
        ObjectNode line = JSON.createObjectNode();
        line.put("run", run);
        for (Kind kind : Kind.values()) {
            Counts c = counts.get(kind);
            ObjectNode node = line.putObject(kind.key());
            node.put("fetched", c.fetched());
            node.put("applied", c.applied());
            node.put("unchanged", c.unchanged());
            node.put("deleted", c.deleted());
        }
        line.put("requests", requests);
        line.put("rate_limited", rateLimited);
        line.put("seconds", BigDecimal.valueOf(elapsed.toMillis()).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY));
        if (drift != null) {
            line.set("drift", drift.toJson());
        }
        return line.toString();
    }
}
