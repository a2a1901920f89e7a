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
 * transaction held up by an owner's lock, and its deliveries come out as if decided one by one.
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
