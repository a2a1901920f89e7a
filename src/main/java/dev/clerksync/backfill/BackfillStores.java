package dev.clerksync.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.clerksync.StoresConfiguration;
import dev.clerksync.backfill.BackfillEvents.StoredRecord;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.store.Outcome;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.document.MongoWriter;
import dev.clerksync.store.relational.RelationalDecider.Decision;
import dev.clerksync.store.relational.CascadeWork;
import dev.clerksync.store.relational.RelationalDecider;
import dev.clerksync.store.relational.SqlFile;
import dev.clerksync.store.relational.SqlParameters;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The stores as a backfill writes them, through the service's own writers. The relational store
 * decides a whole page in one transaction through the webhook's decider ({@link
 * RelationalDecider#decideTogether}: the same statements, so the ordering guard, deletions, cascades
 * and erasure are the webhook's, and the same lock order), records the ids the page saw in that same
 * transaction, and commits once; then the document store follows the page's applied objects in one
 * batch of its writer ({@link MongoWriter#followTogether}), while the next page is decided
 * ({@link PageFollower}). Only applied changes stay audited: an
 * object that changed nothing leaves no trace. Every statement is a file under {@code sql/backfill/}.
 */
final class BackfillStores {

    private static final SqlFile START_RUN = SqlFile.load("sql/backfill/start-run.sql");
    private static final SqlFile LAST_UNFINISHED_RUN = SqlFile.load("sql/backfill/last-unfinished-run.sql");
    private static final SqlFile SAVE_CHECKPOINT = SqlFile.load("sql/backfill/save-checkpoint.sql");
    private static final SqlFile FINISH_RUN = SqlFile.load("sql/backfill/finish-run.sql");
    private static final SqlFile FORGET_SEEN = SqlFile.load("sql/backfill/forget-seen.sql");
    private static final SqlFile FORGET_UNCHANGED = SqlFile.load("sql/backfill/forget-unchanged.sql");
    private static final SqlFile UNSEEN_LIVE = SqlFile.load("sql/backfill/unseen-live.sql");
    private static final SqlFile LAST_RECONCILE_START = SqlFile.load("sql/backfill/last-reconcile-start.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final RelationalDecider decider;
    private final MongoWriter follower;
    private final CascadeWork cascades;
    private final SqlFile seen;

    /**
     * {@code follower}: the document store's writer, or null without the document store;
     * {@code cascades}: the chunks deletions leave for later (PostgreSQL), or null.
     */
    BackfillStores(DataSource dataSource, RelationalDecider decider, String dialect, MongoWriter follower,
                   CascadeWork cascades) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.decider = decider;
        this.follower = follower;
        this.cascades = cascades;
        this.seen = SqlFile.load("sql/" + dialect + "/backfill-seen.sql");
    }

    /** The stores a command or the service opened, as a backfill writes them. */
    static BackfillStores of(StoresConfiguration stores) {
        return new BackfillStores(stores.sql().dataSource(), stores.decider(), stores.sql().dialect(), stores.writer(),
                stores.cascades());
    }

    /**
     * What a page did in the relational store: the ids of the objects applied, how many were
     * unchanged (as new or newer in the stores, or deleted), and the document store's writes that
     * follow the applied ones ({@link #follow}).
     */
    record DecidedPage(List<String> appliedIds, int unchanged, List<MongoWriter.Write> toFollow) {

        int applied() {
            return appliedIds.size();
        }
    }

    /**
     * Decides one page: every object in one transaction, with the page's seen ids when the run
     * reconciles (only the reconcile reads them: a run without it writes a row less per object). An
     * object already audited under this run (its page read again after --resume) counts as applied
     * by this run, and is followed again: MongoDB may lack it.
     */
    DecidedPage decidePage(String run, Kind kind, List<ClerkEvent> events, boolean reconciles) throws SQLException {
        SyncAction action = kind.record().upsert();
        List<Map<String, Object>> deliveries = events.stream().map(event -> SqlParameters.of(event, action)).toList();
        List<Decision> decisions = decider.decideTogether(action, deliveries, (connection, decided) -> {
            for (Decision decision : decided) {
                if (decision.completed() && !Outcome.APPLIED.is(decision.outcome())) {
                    FORGET_UNCHANGED.update(connection, Map.of("eventId", decision.eventId()));
                }
            }
            if (reconciles) {
                markSeen(connection, run, kind, events);
            }
        });
        List<MongoWriter.Write> toFollow = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (Outcome.APPLIED.is(decisions.get(i).outcome())) {
                toFollow.add(following(events.get(i), action, decisions.get(i)));
                applied.add(events.get(i).subjectId());
            }
        }
        return new DecidedPage(applied, events.size() - applied.size(), follower == null ? List.of() : toFollow);
    }

    /** Whether the document store follows the relational one (it is configured). */
    boolean follows() {
        return follower != null;
    }

    /**
     * Deletes a record Clerk no longer has, as its {@code .deleted} would: through the service's
     * decider and writer (cascades and erasure included). True when it was live until now.
     */
    boolean deleteGone(Kind kind, ClerkEvent deletion) {
        SyncAction action = kind.record().delete();
        Decision decision = decider.decide(deletion, action);
        follow(List.of(following(deletion, action, decision)));
        // A command has no timer: what the deletion left for later is done before it goes on.
        if (cascades != null) {
            try {
                cascades.finish();
            } catch (SQLException e) {
                throw new BackfillStoreException(e);
            }
        }
        return Outcome.APPLIED.is(decision.outcome());
    }

    /** Live stored records of a kind that this run has not seen, after {@code afterId} in id order. */
    List<StoredRecord> unseenLive(String run, Kind kind, String afterId, int limit) {
        return query(() -> jdbc.query(UNSEEN_LIVE.namedText(),
                Map.of("afterId", afterId, "run", run, "kind", kind.key(), "limit", limit),
                (row, n) -> new StoredRecord(row.getString(1), row.getString(2), row.getString(3))));
    }

    /** Starts a run: its row in {@code backfill_runs}, with the first checkpoint. */
    void startRun(String run, Instant startedAt, String options, String checkpoint) {
        update(START_RUN, Map.of("run", run, "startedAt", Timestamp.from(startedAt), "options", options,
                "checkpoint", checkpoint));
    }

    /** The last run that did not finish: its id, start and checkpoint; null when there is none. */
    UnfinishedRun lastUnfinishedRun() {
        List<UnfinishedRun> runs = query(() -> jdbc.query(LAST_UNFINISHED_RUN.namedText(), Map.of(), (row, n) ->
                new UnfinishedRun(row.getString(1), row.getTimestamp(2).toInstant(), row.getString(3))));
        return runs.isEmpty() ? null : runs.get(0);
    }

    /** When the last reconcile pass started; null when none ever ran. */
    Instant lastReconcileStart() {
        Timestamp started = query(() -> jdbc.queryForObject(LAST_RECONCILE_START.namedText(), Map.of(), Timestamp.class));
        return started == null ? null : started.toInstant();
    }

    /** The checkpoint says what the run covers: the options column is for people reading the table. */
    record UnfinishedRun(String run, Instant startedAt, String checkpoint) {
    }

    void saveCheckpoint(String run, String checkpoint) {
        update(SAVE_CHECKPOINT, Map.of("run", run, "checkpoint", checkpoint));
    }

    void finishRun(String run, String status, String checkpoint) {
        update(FINISH_RUN, Map.of("run", run, "status", status, "checkpoint", checkpoint,
                "finishedAt", Timestamp.from(Instant.now())));
        if (status.equals("done")) {
            update(FORGET_SEEN, Map.of("run", run));
        }
    }

    private static MongoWriter.Write following(ClerkEvent event, SyncAction action, Decision decision) {
        return MongoWriter.Write.following(event, action, decision.outcome(), decision.erased(), decision.cascadedIds(),
                decision.erasureDeferred()).erasing(decision.erasedEntryIds());
    }

    /** The document store follows a page's applied objects in one batch: distinct records, so in any order. */
    void follow(List<MongoWriter.Write> writes) {
        if (follower == null || writes.isEmpty()) {
            return;
        }
        try {
            follower.followTogether(writes);
        } catch (RuntimeException e) {
            throw new BackfillStoreException(e);
        }
    }

    private void markSeen(Connection connection, String run, Kind kind, List<ClerkEvent> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(seen.jdbcText())) {
            for (ClerkEvent event : events) {
                statement.setString(1, run);
                statement.setString(2, kind.key());
                statement.setString(3, event.subjectId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void update(SqlFile statement, Map<String, Object> parameters) {
        query(() -> jdbc.update(statement.namedText(), parameters));
    }

    /** A store failure, as the backfill reports it (it names the store, never a value). */
    private static <T> T query(java.util.function.Supplier<T> statement) {
        try {
            return statement.get();
        } catch (DataAccessException e) {
            throw new BackfillStoreException(e);
        }
    }
}
