package dev.clerksync.backfill;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.backfill.BackfillSummary.Kind;

/**
 * Where a run is: what it covers, its phase, the offset of the first page not yet complete in
 * every store, and its counts so far. Saved as JSON in {@code backfill_runs.checkpoint} after every
 * page; --resume reads it back.
 *
 * @param users         the run reads users
 * @param organizations the run reads organizations and their memberships
 * @param billing       the run reads subscription items and their payers' subscriptions
 * @param reconcile     the run deletes what Clerk no longer has, after the pass
 * @param phase         what the run does now
 * @param offset        the Clerk list offset of the phase's next page
 */
record BackfillCheckpoint(boolean users, boolean organizations, boolean billing, boolean reconcile, Phase phase,
                          long offset) {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Phase { USERS, ORGANIZATIONS, BILLING, RECONCILE, DONE }

    static BackfillCheckpoint start(boolean users, boolean organizations, boolean billing, boolean reconcile) {
        return new BackfillCheckpoint(users, organizations, billing, reconcile, Phase.USERS, 0).skipUnwanted();
    }

    /** The next phase the run covers, from its first page. */
    BackfillCheckpoint next() {
        if (phase == Phase.DONE) {
            return this;
        }
        return new BackfillCheckpoint(users, organizations, billing, reconcile, Phase.values()[phase.ordinal() + 1], 0)
                .skipUnwanted();
    }

    BackfillCheckpoint at(long nextOffset) {
        return new BackfillCheckpoint(users, organizations, billing, reconcile, phase, nextOffset);
    }

    private BackfillCheckpoint skipUnwanted() {
        boolean wanted = switch (phase) {
            case USERS -> users;
            case ORGANIZATIONS -> organizations;
            case BILLING -> billing;
            case RECONCILE -> reconcile;
            case DONE -> true;
        };
        return wanted ? this : next();
    }

    /** What the run covers, as the options column shows it: e.g. {@code users,organizations,reconcile}. */
    String scope() {
        StringBuilder scope = new StringBuilder();
        if (users) {
            scope.append("users,");
        }
        if (organizations) {
            scope.append("organizations,");
        }
        if (billing) {
            scope.append("billing,");
        }
        if (reconcile) {
            scope.append("reconcile,");
        }
        return scope.substring(0, scope.length() - 1);
    }

    String describe() {
        return phase.name().toLowerCase() + " offset " + offset;
    }

    /** {@code drift}: what a reconcile pass found so far, saved beside the counts; null for none. */
    String toJson(BackfillSummary summary, DriftReport drift) {
        ObjectNode json = JSON.createObjectNode()
                .put("users", users).put("organizations", organizations).put("billing", billing).put("reconcile", reconcile)
                .put("phase", phase.name()).put("offset", offset);
        ObjectNode counts = json.putObject("counts");
        for (Kind kind : Kind.values()) {
            BackfillSummary.Counts of = summary.of(kind);
            counts.putObject(kind.key()).put("fetched", of.fetched()).put("applied", of.applied())
                    .put("unchanged", of.unchanged()).put("deleted", of.deleted());
        }
        if (drift != null) {
            json.set("drift", drift.toJson());
        }
        return json.toString();
    }

    static BackfillCheckpoint parse(String text) {
        try {
            JsonNode json = JSON.readTree(text);
            // A checkpoint saved before billing was backfilled has no "billing": false, as that run did not read it.
            return new BackfillCheckpoint(json.path("users").asBoolean(), json.path("organizations").asBoolean(),
                    json.path("billing").asBoolean(), json.path("reconcile").asBoolean(), Phase.valueOf(json.path("phase").asText()),
                    json.path("offset").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the counts a checkpoint saved back into a new run's summary (for --resume). */
    static void restoreCounts(String text, BackfillSummary summary) {
        try {
            JsonNode counts = JSON.readTree(text).path("counts");
            for (Kind kind : Kind.values()) {
                JsonNode of = counts.path(kind.key());
                summary.of(kind).fetched(of.path("fetched").asLong());
                summary.of(kind).applied(of.path("applied").asLong());
                summary.of(kind).unchanged(of.path("unchanged").asLong());
                summary.of(kind).deleted(of.path("deleted").asLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
