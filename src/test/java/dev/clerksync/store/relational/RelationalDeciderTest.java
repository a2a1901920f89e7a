package dev.clerksync.store.relational;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.DecisionRounds;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.relational.RelationalDecider.Decision;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessException;

/**
 * Group commit in the relational store, on the real PostgreSQL server: a batch forms behind a
 * transaction held up by an owner's lock, and its deliveries come out as if decided one by one. And
 * the embedded database's owner locks: deliveries waiting for one read what its holder committed.
 */
class RelationalDeciderTest {

    private static final long T1 = 1_790_000_000_000L;

    private final ExecutorService requests = Executors.newCachedThreadPool();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private PostgresDatabase database;
    private HikariDataSource dataSource;
    private RelationalDecider decider;

    @BeforeEach
    void open() {
        database = PostgresDatabase.create();
        dataSource = dataSourceOf(database);
        decider = new RelationalDecider(dataSource, "postgresql", false, 1000, 1, 64, batchSizes::add);
    }

    private static HikariDataSource dataSourceOf(PostgresDatabase database) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.url());
        dataSource.setUsername(PostgresDatabase.user());
        dataSource.setPassword(PostgresDatabase.password());
        dataSource.setMaximumPoolSize(4);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql")
                .table("clerk_sync_schema_history").load().migrate();
        return dataSource;
    }

    @AfterEach
    void close() {
        requests.shutdownNow();
        dataSource.close();
        database.close();
    }

    @Test
    void a_batch_decides_like_one_delivery_after_the_other_and_a_bad_delivery_fails_alone() throws Exception {
        Future<Decision> held;
        Future<Decision> newer;
        Future<Decision> older;
        Future<Decision> newerAgain;
        Future<Decision> bad;
        Future<Decision> other;
        try (Connection side = DriverManager.getConnection(database.url(), PostgresDatabase.user(), PostgresDatabase.password());
             PreparedStatement lock = side.prepareStatement("SELECT pg_advisory_lock(hashtextextended('user:user_held', 0))")) {
            lock.execute();
            // The first delivery's statement waits for the user's lock: its transaction stays open.
            held = submit("msg_held", ClerkEvents.user("user.created", "user_held", T1), Map.of());
            awaitWaitingForTheLock(side);
            newer = queue(1, "msg_newer", ClerkEvents.user("user.updated", "user_a", T1 + 2000).firstName("newer"), Map.of());
            older = queue(2, "msg_older", ClerkEvents.user("user.updated", "user_a", T1 + 1000).firstName("older"), Map.of());
            newerAgain = queue(3, "msg_newer", ClerkEvents.user("user.updated", "user_a", T1 + 2000).firstName("newer"), Map.of());
            // Not JSON where the statement casts to jsonb: PostgreSQL refuses this one delivery.
            bad = queue(4, "msg_bad", ClerkEvents.user("user.created", "user_bad", T1), Map.of("data", "{not json"));
            other = queue(5, "msg_other", ClerkEvents.user("user.created", "user_b", T1), Map.of());
            try (PreparedStatement unlock = side.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlock.execute();
            }
        }

        assertDecided(held.get(20, TimeUnit.SECONDS), "applied", true);
        assertDecided(newer.get(20, TimeUnit.SECONDS), "applied", true);
        assertDecided(older.get(20, TimeUnit.SECONDS), "stale", true);
        // The same svix-id waited for the next transaction, and found itself audited.
        assertDecided(newerAgain.get(20, TimeUnit.SECONDS), "applied", false);
        assertDecided(other.get(20, TimeUnit.SECONDS), "applied", true);
        assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(DataAccessException.class);

        // The held one alone; the four others together (refused, then decided again one by one); the repeat.
        assertThat(batchSizes).containsExactly(1, 4, 1);
        assertThat(database.query("SELECT event_id, outcome FROM audit_log ORDER BY event_id")).containsExactly(
                Map.of("event_id", "msg_held", "outcome", "applied"),
                Map.of("event_id", "msg_newer", "outcome", "applied"),
                Map.of("event_id", "msg_older", "outcome", "stale"),
                Map.of("event_id", "msg_other", "outcome", "applied"));
        assertThat(database.query("SELECT first_name FROM users WHERE id = 'user_a'"))
                .containsExactly(Map.of("first_name", "newer"));
        assertThat(database.count("SELECT count(*) FROM users WHERE id = 'user_bad'")).isZero();
    }

    @Test
    void a_deletion_in_a_batch_sees_the_changes_before_it_and_the_changes_after_it_see_the_deletion() throws Exception {
        Future<Decision> held;
        List<Future<Decision>> batch = new ArrayList<>();
        try (Connection side = DriverManager.getConnection(database.url(), PostgresDatabase.user(), PostgresDatabase.password());
             PreparedStatement lock = side.prepareStatement("SELECT pg_advisory_lock(hashtextextended('user:user_held', 0))")) {
            lock.execute();
            held = submit("msg_held", ClerkEvents.user("user.created", "user_held", T1), Map.of());
            awaitWaitingForTheLock(side);
            batch.add(queue(1, "msg_created", ClerkEvents.user("user.created", "user_c", T1), Map.of()));
            batch.add(queue(2, "msg_deleted", ClerkEvents.deleted("user_c", T1 + 1000), Map.of()));
            batch.add(queue(3, "msg_late_update", ClerkEvents.user("user.updated", "user_c", T1 + 2000), Map.of()));
            try (PreparedStatement unlock = side.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlock.execute();
            }
        }

        assertDecided(held.get(20, TimeUnit.SECONDS), "applied", true);
        assertDecided(batch.get(0).get(20, TimeUnit.SECONDS), "applied", true);
        assertDecided(batch.get(1).get(20, TimeUnit.SECONDS), "applied", true);
        Decision lateUpdate = batch.get(2).get(20, TimeUnit.SECONDS);
        assertDecided(lateUpdate, "stale", true);
        assertThat(lateUpdate.erased).as("an event of a deleted user is recorded erased").isTrue();
        assertThat(batchSizes).containsExactly(1, 3);
        assertThat(database.query("SELECT event_id, payload::text AS payload FROM audit_log WHERE subject_id = 'user_c' ORDER BY event_id"))
                .extracting(row -> row.get("event_id") + " " + row.get("payload").toString().contains("erased"))
                .containsExactly("msg_created true", "msg_deleted false", "msg_late_update true");
    }

    /**
     * PostgreSQL decides a batch in rounds, one statement per round and action; a mixed batch over
     * a few users (creates, updates in any order, deletions, sessions) ends exactly as the same
     * deliveries decided one by one, each in a transaction of its own: same outcomes, same erasures,
     * same rows.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void a_mixed_batch_decided_in_rounds_ends_as_the_same_deliveries_decided_one_by_one(long seed) throws Exception {
        List<Delivery> deliveries = mixedDeliveries(new Random(seed), 48);
        List<Future<Decision>> batched = new ArrayList<>();
        try (Connection side = DriverManager.getConnection(database.url(), PostgresDatabase.user(), PostgresDatabase.password());
             PreparedStatement lock = side.prepareStatement("SELECT pg_advisory_lock(hashtextextended('user:user_held', 0))")) {
            lock.execute();
            Future<Decision> held = submit("msg_held", ClerkEvents.user("user.created", "user_held", T1), Map.of());
            awaitWaitingForTheLock(side);
            for (int i = 0; i < deliveries.size(); i++) {
                batched.add(queue(i + 1, deliveries.get(i)));
            }
            try (PreparedStatement unlock = side.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlock.execute();
            }
            held.get(20, TimeUnit.SECONDS);
        }

        try (PostgresDatabase oneByOneDatabase = PostgresDatabase.create();
             HikariDataSource oneByOneSource = dataSourceOf(oneByOneDatabase)) {
            RelationalDecider oneByOne = new RelationalDecider(oneByOneSource, "postgresql", false, 1000, 1, 64, size -> { });
            for (int i = 0; i < deliveries.size(); i++) {
                Decision alone = oneByOne.decide(deliveries.get(i).action(), deliveries.get(i).parameters());
                Decision inBatch = batched.get(i).get(20, TimeUnit.SECONDS);
                assertThat(inBatch.outcome + " erased=" + inBatch.erased).as("delivery %d", i)
                        .isEqualTo(alone.outcome + " erased=" + alone.erased);
            }
            assertThat(batchSizes).as("one batch after the held delivery").containsExactly(1, deliveries.size());
            assertThat(database.count("SELECT count(DISTINCT xmin::text) FROM audit_log WHERE event_id <> 'msg_held'"))
                    .as("decided in one transaction, not again one by one after a failure").isEqualTo(1);
            String users = "SELECT * FROM users WHERE id <> 'user_held' ORDER BY id";
            String audit = "SELECT event_id, outcome, payload::text FROM audit_log WHERE event_id <> 'msg_held' ORDER BY event_id";
            assertThat(database.query(users)).isEqualTo(oneByOneDatabase.query(users));
            assertThat(database.query(audit)).isEqualTo(oneByOneDatabase.query(audit));
        }
    }

    /**
     * The embedded database, two deciders (two transactions at once, as a command's beside the
     * service's): the same delivery reaches both while its user's lock row is held. The first to get
     * the lock applies and records it; the second waits for it, then loses the race on audit_log's
     * key, is rolled back and reads the outcome recorded by the first.
     */
    @Test
    void on_the_embedded_database_the_same_svix_id_decided_twice_at_once_is_applied_once() throws Exception {
        try (HikariDataSource h2 = embeddedDataSource("twice");
             Connection side = h2.getConnection()) {
            RelationalDecider first = new RelationalDecider(h2, "h2", false, 1000, 1, 64, size -> { });
            RelationalDecider second = new RelationalDecider(h2, "h2", false, 1000, 1, 64, size -> { });
            ClerkEvent created = ClerkEventParser.parse("msg_twice", ClerkEvents.user("user.created", "user_twice", T1).json(),
                    Instant.ofEpochMilli(T1));
            holdLockRow(side, "user:user_twice");
            // Held now: H2 shows a session waiting for a row's lock, not for another transaction's insert.
            side.setAutoCommit(false);
            holdLockRow(side, "user:user_twice");
            Future<Decision> one = requests.submit(() -> first.decide(created, SyncAction.UPSERT_USER));
            Future<Decision> other = requests.submit(() -> second.decide(created, SyncAction.UPSERT_USER));
            awaitBlockedSessions(side, 2);
            side.rollback();

            List<Decision> decided = List.of(one.get(20, TimeUnit.SECONDS), other.get(20, TimeUnit.SECONDS));
            assertThat(decided).extracting(decision -> decision.outcome + " completed=" + decision.completed)
                    .containsExactlyInAnyOrder("applied completed=true", "applied completed=false");
            assertThat(count(side, "SELECT COUNT(*) FROM audit_log WHERE event_id = 'msg_twice'")).isEqualTo(1);
            assertThat(count(side, "SELECT COUNT(*) FROM users WHERE id = 'user_twice'")).isEqualTo(1);
        }
    }

    /**
     * The embedded database: a delivery about a user waits for the user's lock row while the user's
     * deletion holds it, and reads the deletion it committed: its entry is recorded erased. (A query
     * reads what was committed when it started; the action statement reads after the lock in nested
     * statements, sql/h2/upsert-user.sql.)
     */
    @Test
    void on_the_embedded_database_a_delivery_that_waited_for_a_deletion_is_recorded_erased() throws Exception {
        try (HikariDataSource h2 = embeddedDataSource("waited");
             Connection side = h2.getConnection()) {
            RelationalDecider embedded = new RelationalDecider(h2, "h2", false, 1000, 1, 64, size -> { });
            embedded.decide(ClerkEventParser.parse("msg_created", ClerkEvents.user("user.created", "user_gone", T1).json(),
                    Instant.ofEpochMilli(T1)), SyncAction.UPSERT_USER);
            // The deletion, by hand, in the side transaction: it holds the user's lock row until it commits.
            side.setAutoCommit(false);
            holdLockRow(side, "user:user_gone");
            try (PreparedStatement delete = side.prepareStatement(
                    "UPDATE users SET deleted_at = CURRENT_TIMESTAMP, last_event_id = 'msg_deleted' WHERE id = 'user_gone'")) {
                delete.executeUpdate();
            }
            Future<Decision> update = requests.submit(() -> embedded.decide(ClerkEventParser.parse("msg_late",
                    ClerkEvents.user("user.updated", "user_gone", T1 + 1000).json(), Instant.ofEpochMilli(T1 + 1000)),
                    SyncAction.UPSERT_USER));
            awaitBlockedSessions(side, 1);
            side.commit();

            Decision late = update.get(20, TimeUnit.SECONDS);
            assertDecided(late, "stale", true);
            assertThat(late.erased).as("an event of a deleted user is recorded erased").isTrue();
            assertThat(count(side, "SELECT COUNT(*) FROM audit_log WHERE event_id = 'msg_late'"
                    + " AND payload = JSON '{\"erased\":true}'")).isEqualTo(1);
        }
    }

    private static HikariDataSource embeddedDataSource(String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        dataSource.setMaximumPoolSize(4);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2")
                .table("clerk_sync_schema_history").load().migrate();
        return dataSource;
    }

    /** Takes an owner's lock row as the embedded database's statements do, until the transaction ends. */
    private static void holdLockRow(Connection side, String owner) throws Exception {
        try (PreparedStatement lock = side.prepareStatement("MERGE INTO clerk_sync_owner_locks KEY (owner) VALUES (?)")) {
            lock.setString(1, owner);
            lock.executeUpdate();
        }
    }

    /** Waits until this many sessions of the embedded database wait for a lock another one holds. */
    private static void awaitBlockedSessions(Connection side, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(side, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL") < n) {
            assertThat(System.nanoTime()).as("%d sessions wait for the lock in time", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             var result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private record Delivery(SyncAction action, Map<String, Object> parameters) {
    }

    /** Creates, updates with clocks out of order, deletions and sessions of four users, each svix-id once. */
    /** The memberships of one organization only read it: they share a round; its deletion goes apart, in order. */
    @Test
    void memberships_of_one_organization_share_a_round_and_its_deletion_goes_apart() throws Exception {
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(decision(i == 20 ? "organization.deleted" : "organizationMembership.created", i));
        }
        List<List<Decision>> rounds = DecisionRounds.of(batch, Decision::exclusiveRoundKeys,
                Decision::sharedRoundKeys);
        assertThat(rounds).extracting(List::size).containsExactly(20, 1, 19);
        assertThat(rounds.get(1).get(0).eventId()).isEqualTo("msg_20");
    }

    private static Decision decision(String type, int i) throws Exception {
        String json = type.equals("organization.deleted")
                ? OrganizationEvents.organizationDeleted("org_big", T1 + i).json()
                : OrganizationEvents.membership(type, "orgmem_" + i, "org_big", "user_" + i, T1 + i).json();
        ClerkEvent parsed = ClerkEventParser.parse("msg_" + i, json, Instant.ofEpochMilli(T1 + i));
        SyncAction action = type.equals("organization.deleted") ? SyncAction.DELETE_ORGANIZATION : SyncAction.UPSERT_MEMBERSHIP;
        return new Decision(action, SqlParameters.of(parsed, action));
    }

    private static List<Delivery> mixedDeliveries(Random random, int count) throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String userId = "user_" + random.nextInt(4);
            long clock = T1 + random.nextInt(100) * 1000L;
            int kind = random.nextInt(10);
            String json = kind < 6 ? ClerkEvents.user(kind < 2 ? "user.created" : "user.updated", userId, clock)
                    .firstName("v" + i).json()
                    : kind < 8 ? ClerkEvents.deleted(userId, clock).json()
                    : "{\"type\": \"session.created\", \"object\": \"event\", \"timestamp\": " + clock
                            + ", \"data\": {\"object\": \"session\", \"id\": \"sess_" + i + "\", \"user_id\": \"" + userId + "\"}}";
            ClerkEvent parsed = ClerkEventParser.parse("msg_" + i, json, Instant.ofEpochMilli(T1 + i));
            SyncAction action = kind < 6 ? SyncAction.UPSERT_USER : kind < 8 ? SyncAction.DELETE_USER : SyncAction.AUDIT_ONLY;
            deliveries.add(new Delivery(action, SqlParameters.of(parsed, action)));
        }
        return deliveries;
    }

    private Future<Decision> queue(int n, Delivery delivery) {
        Future<Decision> request = requests.submit(() -> decider.decide(delivery.action(), delivery.parameters()));
        awaitQueued(n);
        return request;
    }

    private Future<Decision> submit(String svixId, ClerkEvents event, Map<String, Object> overrides) throws Exception {
        ClerkEvent parsed = ClerkEventParser.parse(svixId, event.json(), Instant.now());
        SyncAction action = parsed.type().equals("user.deleted") ? SyncAction.DELETE_USER : SyncAction.UPSERT_USER;
        Map<String, Object> parameters = new HashMap<>(SqlParameters.of(parsed, action));
        parameters.putAll(overrides);
        return requests.submit(() -> decider.decide(action, parameters));
    }

    /** Submits a delivery and waits until it is queued behind the transaction in flight (the n-th). */
    private Future<Decision> queue(int n, String svixId, ClerkEvents event, Map<String, Object> overrides) throws Exception {
        Future<Decision> request = submit(svixId, event, overrides);
        awaitQueued(n);
        return request;
    }

    private void awaitQueued(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (decider.queued() < n) {
            assertThat(System.nanoTime()).as("delivery %d queued in time", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** Waits until a session of the decider's pool waits for an advisory lock. */
    private void awaitWaitingForTheLock(Connection side) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (PreparedStatement waiting = side.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
            while (true) {
                try (var result = waiting.executeQuery()) {
                    result.next();
                    if (result.getLong(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the first delivery waits for the lock in time").isLessThan(deadline);
            }
        }
    }

    private static void assertDecided(Decision decision, String outcome, boolean completed) {
        assertThat(decision.outcome).as("outcome").isEqualTo(outcome);
        assertThat(decision.completed).as("completed here").isEqualTo(completed);
    }
}
