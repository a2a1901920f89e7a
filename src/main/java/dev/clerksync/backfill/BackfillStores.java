package dev.clerksync.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;

import javax.sql.DataSource;

import dev.clerksync.backfill.BackfillEvents.StoredRecord;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.RelationalDecider;
import dev.clerksync.store.RelationalDecider.Decision;
import dev.clerksync.store.SqlFile;
import dev.clerksync.store.SqlParameters;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.SyncConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * The stores as a backfill writes them. The relational store decides a whole page in one
 * transaction through the webhook's decider ({@link RelationalDecider#decideTogether}: the same
 * statements, so the ordering guard, deletions, cascades and erasure are the webhook's, and the same
 * lock order), records the ids the page saw in that same transaction, and commits once; then MongoDB
 * follows each applied object through the service's follow route. Only applied changes stay
 * audited: an object that changed nothing leaves no trace.
 */
final class BackfillStores {

    private final DataSource dataSource;
    private final RelationalDecider decider;
    private final ProducerTemplate producer;
    private final CamelContext context;
    private final String followerUri;
    private final String seenStatement;

    BackfillStores(DataSource dataSource, RelationalDecider decider, String dialect, CamelContext context, String followerUri) {
        this.dataSource = dataSource;
        this.decider = decider;
        this.context = context;
        this.producer = context.createProducerTemplate();
        this.followerUri = followerUri;
        this.seenStatement = SqlFile.load("sql/" + dialect + "/backfill-seen.sql").jdbcText();
    }

    /** What a page did: objects applied, objects unchanged (as new or newer in the stores, or deleted). */
    record PageResult(int applied, int unchanged) {
    }

    /**
     * Applies one page: decides every object in one transaction with the page's seen ids, then has
     * MongoDB follow each applied one. An object already audited under this run (its page read again
     * after --resume) counts as applied by this run, and is followed again: MongoDB may lack it.
     */
    PageResult applyPage(String run, Kind kind, List<ClerkEvent> events) throws SQLException {
        SyncAction action = BackfillEvents.upsert(kind);
        List<Map<String, Object>> deliveries = events.stream().map(event -> SqlParameters.of(event, action)).toList();
        List<Decision> decisions = decider.decideTogether(action, deliveries, (connection, decided) -> {
            for (Decision decision : decided) {
                if (decision.completed() && !"applied".equals(decision.outcome())) {
                    forget(connection, decision.eventId());
                }
            }
            markSeen(connection, run, kind, events);
        });
        List<Exchange> toFollow = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if ("applied".equals(decisions.get(i).outcome())) {
                toFollow.add(followExchange(events.get(i), action, decisions.get(i).erased()));
            }
        }
        follow(toFollow);
        return new PageResult(toFollow.size(), events.size() - toFollow.size());
    }

    /**
     * Deletes a record Clerk no longer has, as its {@code .deleted} would: through the service's
     * decide and follow routes (cascades and erasure included). True when it was live until now.
     */
    boolean deleteGone(Kind kind, ClerkEvent deletion) {
        Exchange exchange = exchange(deletion, BackfillEvents.delete(kind));
        producer.send("direct:postgres-decide", exchange);
        rethrow(exchange);
        boolean applied = "applied".equals(exchange.getProperty(SyncConstants.OUTCOME, String.class));
        if (followerUri != null) {
            producer.send(followerUri, exchange);
            rethrow(exchange);
        }
        return applied;
    }

    /** Live stored records of a kind that this run has not seen, after {@code afterId} in id order. */
    List<StoredRecord> unseenLive(String run, Kind kind, String afterId, int limit) throws SQLException {
        String table = kind == Kind.USERS ? "users" : kind == Kind.ORGANIZATIONS ? "organizations" : "organization_memberships";
        String owners = kind == Kind.MEMBERSHIPS ? "t.organization_id, t.user_id" : "NULL, NULL";
        String sql = "SELECT t.id, " + owners + " FROM " + table + " t WHERE t.deleted_at IS NULL AND t.id > ?"
                + " AND NOT EXISTS (SELECT 1 FROM backfill_seen s WHERE s.run_id = ? AND s.kind = ? AND s.id = t.id)"
                + " ORDER BY t.id LIMIT " + limit;
        List<StoredRecord> records = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, afterId);
            statement.setString(2, run);
            statement.setString(3, kind.key());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    records.add(new StoredRecord(result.getString(1), result.getString(2), result.getString(3)));
                }
            }
        }
        return records;
    }

    /** Starts a run: its row in {@code backfill_runs}, with the first checkpoint. */
    void startRun(String run, Instant startedAt, String options, String checkpoint) throws SQLException {
        update("INSERT INTO backfill_runs (run_id, started_at, status, options, checkpoint) VALUES (?, ?, 'running', ?, ?)",
                run, Timestamp.from(startedAt), options, checkpoint);
    }

    /** The last run that did not finish: its id, start and checkpoint; null when there is none. */
    UnfinishedRun lastUnfinishedRun() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT run_id, started_at, checkpoint "
                     + "FROM backfill_runs WHERE status <> 'done' ORDER BY started_at DESC LIMIT 1");
             ResultSet result = statement.executeQuery()) {
            if (!result.next()) {
                return null;
            }
            return new UnfinishedRun(result.getString(1), result.getTimestamp(2).toInstant(), result.getString(3));
        }
    }

    /** The checkpoint says what the run covers: the options column is for people reading the table. */
    record UnfinishedRun(String run, Instant startedAt, String checkpoint) {
    }

    void saveCheckpoint(String run, String checkpoint) throws SQLException {
        update("UPDATE backfill_runs SET checkpoint = ?, status = 'running' WHERE run_id = ?", checkpoint, run);
    }

    void finishRun(String run, String status, String checkpoint) throws SQLException {
        update("UPDATE backfill_runs SET status = ?, checkpoint = ?, finished_at = ? WHERE run_id = ?",
                status, checkpoint, Timestamp.from(Instant.now()), run);
        if (status.equals("done")) {
            update("DELETE FROM backfill_seen WHERE run_id = ?", run);
        }
    }

    private Exchange followExchange(ClerkEvent event, SyncAction action, boolean erased) {
        Exchange exchange = exchange(event, action);
        exchange.setProperty(SyncConstants.OUTCOME, "applied");
        exchange.setProperty(SyncConstants.ERASED, erased);
        return exchange;
    }

    /**
     * MongoDB follows a page's applied objects all at once: sent together, they share the
     * follower's bulk writes (group commit, MongoFollower) instead of taking a round trip or three
     * each. They are distinct records of one page, so their order does not matter.
     */
    private void follow(List<Exchange> exchanges) {
        if (followerUri == null) {
            return;
        }
        List<CompletableFuture<Exchange>> sent = new ArrayList<>(exchanges.size());
        for (Exchange exchange : exchanges) {
            sent.add(producer.asyncSend(followerUri, exchange));
        }
        for (CompletableFuture<Exchange> send : sent) {
            rethrow(send.join());
        }
    }

    private Exchange exchange(ClerkEvent event, SyncAction action) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(ClerkEventParser.EVENT, event);
        exchange.setProperty(ClerkEventParser.EVENT_TYPE, event.type());
        exchange.setProperty(SyncConstants.ACTION, action.fileName());
        return exchange;
    }

    private static void rethrow(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new BackfillStoreException(exchange.getException());
        }
    }

    /** An object that changed nothing leaves no audit entry: the statement wrote one as stale. */
    private static void forget(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM audit_log WHERE event_id = ?")) {
            statement.setString(1, eventId);
            statement.executeUpdate();
        }
    }

    private void markSeen(Connection connection, String run, Kind kind, List<ClerkEvent> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(seenStatement)) {
            for (ClerkEvent event : events) {
                statement.setString(1, run);
                statement.setString(2, kind.key());
                statement.setString(3, event.subjectId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}
