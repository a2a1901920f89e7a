package dev.clerksync.store.relational;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.DecisionRounds;
import dev.clerksync.store.GroupCommit;
import dev.clerksync.store.Outcome;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.trace.TraceScope;
import dev.clerksync.trace.Traces;
import io.opentelemetry.api.trace.Tracer;
import org.apache.camel.Exchange;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The relational store deciding deliveries (routes/postgres-sink.camel.yaml), with group commit:
 * the deliveries that arrive while a transaction is in flight are decided together in the next one,
 * with the action's own statement ({@code sql/<dialect>/<action>.sql}), and committed once
 * ({@link GroupCommit}). PostgreSQL's statements take arrays: the batch is split into rounds
 * ({@link DecisionRounds}), and each round's deliveries of one action are decided and recorded in
 * audit_log by one execution of the statement. The embedded database takes the batch's owners'
 * locks first, then decides the deliveries one after the other in arrival order, each by its
 * action's statement and then {@code sql/h2/record-delivery.sql}.
 *
 * <p>Why not camel-sql: its batch mode runs one statement text for every message and answers only
 * the sum of the update counts, while each delivery needs its own statement's row (its outcome,
 * and whether it was recorded erased) and its own answer.
 *
 * <p>A failed batch is rolled back and its deliveries decided again, each in a transaction of its
 * own, so that one bad delivery fails alone; when the store itself is unreachable they all fail at
 * once, to be retried by the deliver route. Failures arrive as Spring's {@link DataAccessException}s,
 * translated as camel-sql translates them, which the route's store-retries configuration sorts.
 */
public final class RelationalDecider {

    private static final String DUPLICATE_KEY_STATE = "23505";
    /** The prefix of a svix-id's lock key; owners' keys are 'user:…' and 'organization:…' (db/migration V2). */
    private static final String EVENT_KEY = "event:";
    private static final int MAX_ATTEMPTS_ALONE = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final Map<SyncAction, SqlFile> statements = new EnumMap<>(SyncAction.class);
    /**
     * The embedded database's audit insert, after each delivery's action statement
     * (sql/h2/record-delivery.sql); null for PostgreSQL, whose action statements write it.
     */
    private final SqlFile h2RecordDelivery;
    private final SqlFile recordedOutcome = SqlFile.load("sql/recorded-outcome.sql");
    private final SqlFile cascadedMemberships = SqlFile.load("sql/cascaded-memberships.sql");
    private final SqlFile erasedEntries = SqlFile.load("sql/erased-entries.sql");
    /**
     * The embedded database's upsert of one item embedded in an applied subscription event (PostgreSQL's
     * upsert-subscription.sql unpacks them itself); null for PostgreSQL.
     */
    private final SqlFile embeddedItem;
    /** Whether a user's deletion left its erasure for later (PostgreSQL's, db/migration V9); null for H2. */
    private final SqlFile deferredErasure;
    /** How many rows a deletion's cascade or erasure may change before it is left for later (V9). */
    private final String cascadeLimit;
    /**
     * PostgreSQL's first statement of each transaction (sql/postgresql/begin-batch.sql): the batch's
     * locks in one order, change events on or off, custom plans. Null for the embedded database,
     * which has one writer (one process's) and decides one delivery at a time.
     */
    private final SqlFile beginBatch;
    /** Whether this service's transactions write change events (it publishes them). */
    private final String changeEvents;
    private final SQLExceptionTranslator translator;
    private final GroupCommit<Decision> groupCommit;
    /** The embedded database's statement that hands its change-event trigger the batch's traceparents. */
    private final SqlFile h2Traceparents;
    /** The embedded database's owner lock (begin-batch.sql's twin), once per owner of a batch; null for PostgreSQL. */
    private final SqlFile h2LockOwner;
    /** Whether the deliveries' trace contexts go with their change events (traced, and publishing). */
    private volatile boolean traceChangeEvents;
    /** More writes in a round's transaction, after each action's decisions (the mappings', dev.clerksync.mapping). */
    private AfterDecisions afterDecisions = (connection, action, decisions) -> { };

    /**
     * {@code writers}: transactions at once (PostgreSQL's batches take their locks in one order, so
     * several may run; the embedded H2 database gets one).
     */
    public RelationalDecider(DataSource dataSource, String dialect, boolean changeEvents, int cascadeLimit, int writers,
            int maxBatch, IntConsumer batchSizes) {
        this.dataSource = dataSource;
        for (SyncAction action : SyncAction.values()) {
            statements.put(action, SqlFile.load("sql/" + dialect + "/" + action.fileName() + ".sql"));
        }
        boolean postgres = dialect.equals(SqlStore.POSTGRESQL);
        this.beginBatch = postgres ? SqlFile.load("sql/postgresql/begin-batch.sql") : null;
        this.deferredErasure = postgres ? SqlFile.load("sql/postgresql/deferred-erasure.sql") : null;
        this.h2LockOwner = postgres ? null : SqlFile.load("sql/h2/lock-owner.sql");
        this.h2RecordDelivery = postgres ? null : SqlFile.load("sql/h2/record-delivery.sql");
        this.embeddedItem = postgres ? null : SqlFile.load("sql/h2/upsert-embedded-item.sql");
        this.h2Traceparents = postgres ? null : SqlFile.load("sql/h2/change-event-traceparents.sql");
        this.cascadeLimit = Integer.toString(cascadeLimit);
        this.changeEvents = changeEvents ? "on" : "off";
        this.translator = new JdbcTemplate(dataSource).getExceptionTranslator();
        this.groupCommit = new GroupCommit<>(this::decideBatch, beginBatch == null ? 1 : writers, maxBatch, batchSizes);
    }

    /** A delivery to decide, and what the store decided. */
    public static final class Decision extends GroupCommit.Entry {

        final SyncAction action;
        final Map<String, Object> parameters;
        String outcome;
        boolean erased;
        boolean completed;
        List<Map<String, Object>> cascaded;
        boolean erasureDeferred;
        List<Map<String, Object>> erasedEntries;

        Decision(SyncAction action, Map<String, Object> parameters) {
            this.action = action;
            this.parameters = parameters;
        }

        @Override
        protected Object key() {
            return eventId();
        }

        public SyncAction action() {
            return action;
        }

        /** Its statement's parameters: the delivery's audit fields and record columns ({@link SqlParameters}). */
        public Map<String, Object> parameters() {
            return parameters;
        }

        public String eventId() {
            return (String) parameters.get("eventId");
        }

        /**
         * The locks its statement needs: its owners', named as db/migration V2 names them (the
         * cascades take them too), and its svix-id's.
         */
        Set<String> lockKeys() {
            Set<String> keys = new HashSet<>();
            keys.add(EVENT_KEY + eventId());
            if (parameters.get("userId") != null) {
                keys.add("user:" + parameters.get("userId"));
            }
            if (parameters.get("organizationId") != null) {
                keys.add("organization:" + parameters.get("organizationId"));
            }
            if (action == SyncAction.UPSERT_ORGANIZATION || action == SyncAction.DELETE_ORGANIZATION) {
                keys.add("organization:" + parameters.get("subjectId"));
            }
            return keys;
        }

        /**
         * What no other delivery of its round may hold: its svix-id, its record (one row per
         * statement) and, for a user's or an organization's deletion, that owner (its cascade and
         * erasure change what the owner's other deliveries read).
         */
        Set<String> exclusiveRoundKeys() {
            Set<String> keys = new HashSet<>();
            keys.add(EVENT_KEY + eventId());
            keys.add("record:" + parameters.get("subjectId"));
            embeddedItems(parameters).forEach(item -> keys.add("record:" + item.get("subjectId")));
            if (action == SyncAction.DELETE_USER) {
                keys.add("user:" + parameters.get("subjectId"));
            } else if (action == SyncAction.DELETE_ORGANIZATION) {
                keys.add("organization:" + parameters.get("subjectId"));
            }
            return keys;
        }

        /** Its other locks: owners it only reads (is this user deleted?), which deliveries of one round may share. */
        Set<String> sharedRoundKeys() {
            Set<String> keys = lockKeys();
            keys.removeAll(exclusiveRoundKeys());
            return keys;
        }

        public String outcome() {
            return outcome;
        }

        public boolean erased() {
            return erased;
        }

        /** For a user's deletion: whether it left the erasure of the user's entries for later (CascadeWork). */
        public boolean erasureDeferred() {
            return erasureDeferred;
        }

        /** For a deletion: the ids of the memberships its cascade deleted here. */
        public List<String> cascadedIds() {
            return cascaded == null ? List.of() : cascaded.stream().map(row -> (String) row.get("id")).toList();
        }

        /**
         * For a user's deletion that erased here, not later: the svix-ids of the user's entries it
         * left erased, for the follower to erase by id; null otherwise.
         */
        public List<String> erasedEntryIds() {
            return erasedEntries == null ? null : erasedEntries.stream().map(row -> (String) row.get("event_id")).toList();
        }

        /** Decided by this request; false when the svix-id was audited already (the outcome is the recorded one). */
        public boolean completed() {
            return completed;
        }
    }

    /**
     * Writes that belong to a round's transaction, run after the decisions of each action are
     * recorded in audit_log (one call per round and action on PostgreSQL, per delivery on the
     * embedded database), so that they commit with them or not at all.
     */
    @FunctionalInterface
    public interface AfterDecisions {
        void decided(Connection connection, SyncAction action, List<Decision> decisions) throws SQLException;
    }

    /** Set before the first delivery (start-up). */
    public void afterDecisions(AfterDecisions hook) {
        this.afterDecisions = hook;
    }

    /**
     * Traces each delivery's wait and each batch (docs/operations.md "Traces"); with change events, each
     * event then carries the trace context of the delivery that made it, for the relay. Set at start-up.
     */
    public void trace(Tracer tracer) {
        groupCommit.trace(tracer, "postgres");
        traceChangeEvents = changeEvents.equals("on");
    }

    /** More work in the transaction of {@link #decideTogether}, after the decisions and before the commit. */
    @FunctionalInterface
    public interface BeforeCommit {
        void run(Connection connection, List<Decision> decided) throws SQLException;
    }

    /**
     * Decides deliveries of one action together in one transaction of their own, outside the queue
     * (the backfill's page, in a process that serves no webhook), with the same statements and the
     * same lock order as the webhook's batches; then {@code beforeCommit}, then one commit. A failure
     * rolls everything back and is thrown.
     */
    public List<Decision> decideTogether(SyncAction action, List<Map<String, Object>> deliveries, BeforeCommit beforeCommit)
            throws SQLException {
        List<Decision> batch = deliveries.stream().map(parameters -> new Decision(action, parameters)).toList();
        try (Connection connection = dataSource.getConnection()) {
            decideInOneTransaction(connection, batch, beforeCommit);
        }
        return batch;
    }

    /**
     * Decides the exchange's delivery (its event and {@value SyncConstants#ACTION}) and sets the
     * outcome, whether this request completed it, whether it was recorded erased and, for a
     * deletion, the memberships its cascade deleted.
     */
    public void decide(Exchange exchange) {
        SyncAction action = SyncAction.named(exchange.getProperty(SyncConstants.ACTION, String.class));
        ClerkEvent event = exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class);
        Decision decision;
        try (TraceScope ignored = TraceScope.of(exchange)) {
            decision = decide(action, SqlParameters.of(event, action));
        }
        exchange.setProperty(SyncConstants.OUTCOME, decision.outcome);
        exchange.setProperty(SyncConstants.ERASED, decision.erased);
        exchange.setProperty(SyncConstants.COMPLETED, decision.completed);
        if (decision.cascaded != null) {
            exchange.setProperty(SyncConstants.CASCADED, decision.cascadedIds());
        }
        exchange.setProperty(SyncConstants.ERASURE_DEFERRED, decision.erasureDeferred);
        if (decision.erasedEntries != null) {
            exchange.setProperty(SyncConstants.ERASED_ENTRIES, decision.erasedEntryIds());
        }
    }

    /** Decides one event with the deliveries in flight (a command's, e.g. the reconcile's deletions); throws its failure. */
    public Decision decide(ClerkEvent event, SyncAction action) {
        return decide(action, SqlParameters.of(event, action));
    }

    /** Decides one delivery with the deliveries in flight; throws its failure. */
    Decision decide(SyncAction action, Map<String, Object> parameters) {
        Decision decision = new Decision(action, parameters);
        groupCommit.submit(decision);
        return decision;
    }

    /** How many deliveries wait for the next transaction. */
    int queued() {
        return groupCommit.queued();
    }

    private void decideBatch(List<Decision> batch) {
        try (Connection connection = dataSource.getConnection()) {
            decideInOneTransaction(connection, batch);
            batch.forEach(Decision::settle);
        } catch (SQLException e) {
            if (isUnreachable(e)) {
                evictIdleConnections();
                failAll(batch, translate(e));
                return;
            }
            // Which delivery failed? Each is decided again alone, so that only that one fails; if
            // the store becomes unreachable meanwhile, the rest fail at once rather than each wait.
            for (int i = 0; i < batch.size(); i++) {
                SQLException unreachable = decideAlone(batch.get(i));
                if (unreachable != null) {
                    failAll(batch.subList(i + 1, batch.size()), translate(unreachable));
                    return;
                }
            }
        }
    }

    /**
     * One delivery in a transaction of its own; returns the failure when the store is unreachable. A
     * deadlock or serialization failure (another process deciding the same records in another order)
     * is tried again at once: it says nothing of the delivery, and the deliver route's store retries
     * do not take it. (Camel picks the onException clause nearest in inheritance over the whole
     * cause chain, ties going to the innermost cause: the catch-all Exception clause, two levels
     * above the driver's PSQLException, ties with TransientDataAccessException, two above Spring's
     * PessimisticLockingFailureException, and wins.)
     */
    private SQLException decideAlone(Decision decision) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                decideInOneTransaction(connection, List.of(decision));
                decision.settle();
                return null;
            } catch (SQLException e) {
                if (!isRolledBackByTheServer(e) || attempt == MAX_ATTEMPTS_ALONE) {
                    decideAfterFailure(decision, e);
                    return isUnreachable(e) ? e : null;
                }
            }
        }
    }

    private void decideInOneTransaction(Connection connection, List<Decision> batch) throws SQLException {
        decideInOneTransaction(connection, batch, (c, decided) -> { });
    }

    private void decideInOneTransaction(Connection connection, List<Decision> batch, BeforeCommit beforeCommit)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (beginBatch == null) {
                for (String owner : ownerKeys(batch)) {
                    h2LockOwner.update(connection, Map.of("owner", owner));
                }
                if (traceChangeEvents) {
                    h2Traceparents.update(connection, Map.of("traceparents", traceparents(batch)));
                }
                for (Decision decision : batch) {
                    decideIn(connection, decision);
                }
            } else {
                beginBatch.queryOne(connection, Map.of("owners", lockKeys(batch), "changeEvents", changeEvents,
                        "cascadeLimit", cascadeLimit, "traceparents", traceChangeEvents ? traceparents(batch) : ""));
                for (List<Decision> round : DecisionRounds.of(batch, Decision::exclusiveRoundKeys, Decision::sharedRoundKeys)) {
                    decideRound(connection, round);
                }
            }
            beforeCommit.run(connection, batch);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /**
     * A JSON object of each traced delivery's svix-id and the W3C traceparent of its span: the change
     * event triggers store it with each event the delivery makes (db/migration V12), so that the
     * relay publishes the event in the delivery's trace.
     */
    private static String traceparents(List<Decision> batch) {
        ObjectNode traceparents = JSON.createObjectNode();
        for (Decision decision : batch) {
            String traceparent = Traces.traceparent(decision.traceContext());
            if (traceparent != null) {
                traceparents.put(decision.eventId(), traceparent);
            }
        }
        return traceparents.toString();
    }

    /** The batch's owners' keys ('user:…', 'organization:…'), in one order: the embedded database locks them one by one. */
    private static Set<String> ownerKeys(List<Decision> batch) {
        Set<String> owners = new TreeSet<>();
        batch.forEach(decision -> decision.lockKeys().stream().filter(key -> !key.startsWith(EVENT_KEY)).forEach(owners::add));
        return owners;
    }

    private static String[] lockKeys(List<Decision> batch) {
        Set<String> keys = new HashSet<>();
        batch.forEach(decision -> keys.addAll(decision.lockKeys()));
        return keys.toArray(String[]::new);
    }

    /**
     * One delivery, with its action's statement for one set of values, then its audit entry (the
     * embedded database's).
     */
    private void decideIn(Connection connection, Decision decision) throws SQLException {
        Map<String, Object> decided = statements.get(decision.action).queryOne(connection, decision.parameters);
        takeDecided(connection, decision,
                decided == null ? null : h2RecordDelivery.queryOne(connection, auditEntry(decision, decided)));
        if (decision.completed && Outcome.APPLIED.is(decision.outcome)) {
            for (Map<String, Object> item : embeddedItems(decision.parameters)) {
                embeddedItem.update(connection, item);
            }
        }
        afterDecisions.decided(connection, decision.action, List.of(decision));
    }

    /**
     * A round's deliveries of each action, with one execution of the action's statement (PostgreSQL's),
     * which also writes their audit entries: one statement per round and action, since a statement
     * more per round cost 4-10 % of the deliveries per second (bench/RESULTS.md, "The audit insert
     * apart"). The embedded database records in a statement of its own ({@link #decideIn}).
     */
    private void decideRound(Connection connection, List<Decision> round) throws SQLException {
        Map<SyncAction, List<Decision>> byAction = new EnumMap<>(SyncAction.class);
        round.forEach(decision -> byAction.computeIfAbsent(decision.action, action -> new ArrayList<>()).add(decision));
        for (Map.Entry<SyncAction, List<Decision>> group : byAction.entrySet()) {
            List<Decision> decisions = group.getValue();
            Map<Object, Map<String, Object>> decidedByEventId = new HashMap<>();
            for (Map<String, Object> row : statements.get(group.getKey())
                    .queryForEach(connection, decisions.stream().map(decision -> decision.parameters).toList())) {
                decidedByEventId.put(row.get("event_id"), row);
            }
            for (Decision decision : decisions) {
                takeDecided(connection, decision, decidedByEventId.get(decision.eventId()));
            }
            afterDecisions.decided(connection, group.getKey(), decisions);
        }
    }

    /**
     * What the embedded database's record-delivery.sql takes of a decided delivery: its parameters,
     * and its action statement's decision.
     */
    private static Map<String, Object> auditEntry(Decision decision, Map<String, Object> decided) {
        Map<String, Object> entry = new HashMap<>(decision.parameters);
        entry.put("outcome", decided.get("outcome"));
        entry.put("erased", Boolean.TRUE.equals(decided.get("erased")));
        return entry;
    }

    /**
     * The decision from the row that recorded the delivery (PostgreSQL's action statement, or the
     * embedded database's record-delivery.sql). No row: this svix-id is audited already (a
     * retry, or the same delivery racing); the outcome recorded then is the delivery's, and this
     * request did not complete it here.
     */
    private void takeDecided(Connection connection, Decision decision, Map<String, Object> decided) throws SQLException {
        decision.completed = decided != null;
        if (decided == null) {
            decided = recordedOutcome.queryOne(connection, decision.parameters);
        }
        decision.outcome = decided == null ? null : (String) decided.get("outcome");
        decision.erased = decided != null && Boolean.TRUE.equals(decided.get("erased"));
        // A deletion's cascade: which memberships it deleted here. The follower deletes those same
        // ones, also when another deletion reached one of them first there.
        if (isDeletion(decision.action)) {
            decision.cascaded = cascadedMemberships.queryList(connection, decision.parameters);
        }
        if (decision.action == SyncAction.DELETE_USER && deferredErasure != null) {
            Map<String, Object> deferred = deferredErasure.queryOne(connection, decision.parameters);
            decision.erasureDeferred = deferred != null && Boolean.TRUE.equals(deferred.get("deferred"));
        }
        if (decision.action == SyncAction.DELETE_USER && Outcome.APPLIED.is(decision.outcome) && !decision.erasureDeferred) {
            decision.erasedEntries = erasedEntries.queryList(connection, decision.parameters);
        }
    }

    /**
     * A delivery that failed alone. Two deliveries of one svix-id at the same moment: the second
     * loses the race on audit_log's key in record-delivery.sql (only the embedded database gets
     * here; PostgreSQL waits, then returns no row), and its transaction, its action's effect
     * included, is rolled back: it reads the recorded outcome. Anything else fails the delivery.
     */
    private void decideAfterFailure(Decision decision, SQLException failure) {
        if (!DUPLICATE_KEY_STATE.equals(failure.getSQLState())) {
            decision.fail(translate(failure));
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            takeDecided(connection, decision, null);
            decision.settle();
        } catch (SQLException e) {
            decision.fail(translate(e));
        }
    }

    /** A subscription's embedded items, a parameter map each ({@link SqlParameters}); none for other actions. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> embeddedItems(Map<String, Object> parameters) {
        Object items = parameters.get(SqlParameters.EMBEDDED_ITEMS);
        return items == null ? List.of() : (List<Map<String, Object>>) items;
    }

    private static boolean isDeletion(SyncAction action) {
        return action == SyncAction.DELETE_USER || action == SyncAction.DELETE_ORGANIZATION;
    }

    private static void failAll(List<Decision> batch, RuntimeException failure) {
        batch.forEach(decision -> decision.fail(failure));
    }

    private DataAccessException translate(SQLException e) {
        DataAccessException translated = translator.translate("decide", null, e);
        return translated != null ? translated : new UncategorizedSQLException("decide", null, e);
    }

    /**
     * A connection that broke (the server restarted, a proxy dropped it) says its idle siblings,
     * opened the same way, are likely gone too: the pool hands out one used in the last half second
     * without checking it, so each retry of the deliver route could meet another dead one and spend
     * its few attempts. Evicted, they are replaced by fresh ones on the next request.
     */
    private void evictIdleConnections() {
        if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** No connection, or it broke: SQLSTATE class 08, or the pool had none to give in time. */
    private static boolean isUnreachable(SQLException e) {
        return e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
    }

    /** SQLSTATE class 40, transaction rollback: a deadlock or a serialization failure. */
    private static boolean isRolledBackByTheServer(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
