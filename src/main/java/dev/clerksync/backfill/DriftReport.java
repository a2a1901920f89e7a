package dev.clerksync.backfill;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.backfill.BackfillSummary.Kind;

/**
 * What a reconcile pass found between Clerk and the stores (docs/backfill.md "Drift"): per kind and
 * class, how many records it found and how many of them it repaired, and the first {@value #EXAMPLES}
 * ids of each. Ids only: a report goes to standard error, logs and the admin view, never personal data.
 */
public final class DriftReport {

    /** How many example ids a class keeps per kind. */
    static final int EXAMPLES = 100;

    /** The ways a record can differ; the name is the report's key. */
    public enum DriftClass {
        /** Clerk has it, the relational store does not. */
        MISSING_HERE("missing_here"),
        /** The stores have it live, Clerk answers 404. */
        GONE_FROM_CLERK("gone_from_clerk"),
        /** Clerk's {@code updated_at} is newer than the stored clock. */
        NEWER_IN_CLERK("newer_in_clerk"),
        /** The relational row and the MongoDB document differ (the admin view's comparison). */
        STORES_DISAGREE("stores_disagree");

        private final String key;

        DriftClass(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private static final class Tally {
        private final AtomicLong found = new AtomicLong();
        private final AtomicLong repaired = new AtomicLong();
        private final List<String> examples = Collections.synchronizedList(new ArrayList<>());
    }

    private final Map<Kind, Map<DriftClass, Tally>> tallies = new EnumMap<>(Kind.class);

    public DriftReport() {
        for (Kind kind : Kind.reconciledKinds()) {
            Map<DriftClass, Tally> byClass = new EnumMap<>(DriftClass.class);
            for (DriftClass drift : DriftClass.values()) {
                byClass.put(drift, new Tally());
            }
            tallies.put(kind, byClass);
        }
    }

    void found(Kind kind, DriftClass drift, String id) {
        Tally tally = tallies.get(kind).get(drift);
        if (tally.found.incrementAndGet() <= EXAMPLES) {
            tally.examples.add(id);
        }
    }

    void repair(Kind kind, DriftClass drift) {
        tallies.get(kind).get(drift).repaired.incrementAndGet();
    }

    public long found(Kind kind, DriftClass drift) {
        return tallies.get(kind).get(drift).found.get();
    }

    /** Of those found, how many the pass repaired (none in a dry run). */
    public long repaired(Kind kind, DriftClass drift) {
        return tallies.get(kind).get(drift).repaired.get();
    }

    /** The found counts: {@code {"users":{"missing_here":0,"gone_from_clerk":0,…},"organizations":{…},"memberships":{…}}}. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        for (Kind kind : Kind.reconciledKinds()) {
            ObjectNode counts = json.putObject(kind.key());
            for (DriftClass drift : DriftClass.values()) {
                counts.put(drift.key(), found(kind, drift));
            }
        }
        return json;
    }

    /** One line per kind and class that found something: {@code drift: users missing_here 3: user_a user_b user_c}. */
    void printExamples(PrintStream err) {
        for (Kind kind : Kind.reconciledKinds()) {
            for (DriftClass drift : DriftClass.values()) {
                Tally tally = tallies.get(kind).get(drift);
                if (tally.found.get() == 0) {
                    continue;
                }
                List<String> examples;
                synchronized (tally.examples) {
                    examples = List.copyOf(tally.examples);
                }
                String more = tally.found.get() > examples.size() ? " (the first " + examples.size() + ")" : "";
                err.println("drift: " + kind.key() + " " + drift.key() + " " + tally.found.get() + more + ": "
                        + String.join(" ", examples));
            }
        }
        err.flush();
    }
}
