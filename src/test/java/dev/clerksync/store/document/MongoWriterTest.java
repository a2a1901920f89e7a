package dev.clerksync.store.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.ConnectionString;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.DecisionRounds;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The document store's writer (MongoWriter) against the MongoDB wire server of the tests
 * (mongo-java-server, or MONGODB_URI), through the real driver: every action in bulk, following or
 * deciding, and each delivery of a batch gets its own result.
 */
class MongoWriterTest {

    /** Clerk's clocks are epoch milliseconds (a value below 10^12 would be read as seconds). */
    private static final long BASE = 1_700_000_000_000L;

    private MongoTestServer server;
    private MongoClient client;
    private CamelContext context;
    private MongoWriter follower;
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = MongoTestServer.start();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.uri()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(1, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(1, TimeUnit.SECONDS))
                .build());
        context = new DefaultCamelContext();
        follower = new MongoWriter(database(), 2, 64, batchSizes::add);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void eachDeliveryOfABatchGetsItsOwnResult() throws Exception {
        users().insertOne(new Document("_id", "user_newer").append("lastEventAt", new Date(BASE + 5_000)).append("lastEventId", "msg_stored"));
        users().insertOne(new Document("_id", "user_gone").append("deletedAt", new Date(BASE + 1_000))
                .append("lastEventAt", new Date(BASE + 1_000)).append("lastEventId", "msg_deletion"));
        audit().insertOne(new Document("_id", "msg_audited").append("outcome", "ignored"));

        List<MongoWriter.Write> batch = List.of(
                follow(userUpdate("msg_u1_new", "user_1", 2_000), "upsert-user", "applied"),
                // Older after newer, both applied by the decider: MongoDB keeps the newer (stale here).
                follow(userUpdate("msg_u1_old", "user_1", 1_000), "upsert-user", "applied"),
                // E11000 in the middle of the ordered write: the others are still written.
                follow(userUpdate("msg_newer_stored", "user_newer", 3_000), "upsert-user", "applied"),
                follow(userUpdate("msg_u2", "user_2", 1_000), "upsert-user", "applied"),
                follow(organization("msg_org", "org_1", 1_000), "upsert-organization", "applied"),
                // An event about a deleted user: its entry is erased.
                follow(session("msg_session", "user_gone"), "audit-only", "ignored"),
                // Audited already (another request): not completed by this one.
                follow(session("msg_audited", "user_2"), "audit-only", "ignored"),
                follow(userUpdate("msg_stale", "user_3", 1_000), "upsert-user", "stale"));

        follower.writeBatch(batch);

        assertThat(batch).allSatisfy(f -> assertThat(f.failed()).as(f.event.svixId()).isFalse());
        assertThat(batch).filteredOn(f -> f.completed).extracting(f -> f.event.svixId())
                .containsExactlyInAnyOrder("msg_u1_new", "msg_u1_old", "msg_newer_stored", "msg_u2", "msg_org",
                        "msg_session", "msg_stale");
        assertThat(users().find(new Document("_id", "user_1")).first().getString("lastEventId")).isEqualTo("msg_u1_new");
        assertThat(users().find(new Document("_id", "user_newer")).first().getString("lastEventId")).isEqualTo("msg_stored");
        assertThat(users().find(new Document("_id", "user_2")).first().getString("lastEventId")).isEqualTo("msg_u2");
        assertThat(users().find(new Document("_id", "user_3")).first()).as("a stale delivery changes nothing").isNull();
        assertThat(database().getCollection("organizations").find(new Document("_id", "org_1")).first()).isNotNull();
        // Both stores' audit logs tell the decided outcome, also where MongoDB's guard found it stale.
        assertThat(audit().find(new Document("_id", "msg_u1_old")).first().getString("outcome")).isEqualTo("applied");
        assertThat(audit().find(new Document("_id", "msg_stale")).first().getString("outcome")).isEqualTo("stale");
        assertThat(audit().find(new Document("_id", "msg_session")).first().get("payload", Document.class))
                .isEqualTo(new Document("erased", true));
        assertThat(audit().find(new Document("_id", "msg_u2")).first().get("payload", Document.class).get("erased")).isNull();
        assertThat(audit().find(new Document("_id", "msg_audited")).first().getString("outcome")).isEqualTo("ignored");
    }

    @Test
    void exactlyOneRequestPerSvixIdCompletesIt() throws Exception {
        List<Callable<String>> requests = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            for (int i = 0; i < 40; i++) {
                String svixId = "msg_" + i;
                // Several updates of few users, and events only audited, some about a deleted user.
                ClerkEvent event = i % 4 == 3 ? session(svixId, "user_" + (i % 5))
                        : userUpdate(svixId, "user_" + (i % 5), 1_000 + i);
                String action = i % 4 == 3 ? "audit-only" : "upsert-user";
                String outcome = i % 4 == 3 ? "ignored" : "applied";
                requests.add(() -> {
                    Exchange exchange = exchange(event, action, outcome);
                    follower.follow(exchange);
                    return exchange.getProperty(SyncConstants.COMPLETED, Boolean.class) ? svixId : null;
                });
            }
        }
        users().insertOne(new Document("_id", "user_4").append("deletedAt", new Date(BASE + 1)).append("lastEventAt", new Date(BASE + 1))
                .append("lastEventId", "msg_deletion"));

        List<String> completed = Concurrently.run(16, requests);

        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        completed.stream().filter(id -> id != null).forEach(id -> answers.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        assertThat(answers).hasSize(40);
        assertThat(answers.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(audit().countDocuments()).isEqualTo(40);
        // The newest update of each live user stays, whatever the batches and their order.
        for (int user = 0; user < 4; user++) {
            int newest = 39;
            while (newest % 5 != user || newest % 4 == 3) {
                newest--;
            }
            assertThat(users().find(new Document("_id", "user_" + user)).first().getString("lastEventId"))
                    .isEqualTo("msg_" + newest);
        }
        assertThat(users().find(new Document("_id", "user_4")).first().getString("lastEventId")).isEqualTo("msg_deletion");
        assertThat(audit().countDocuments(new Document("userId", "user_4").append("payload", new Document("erased", true))))
                .isEqualTo(8);
        assertThat(batchSizes).as("the requests in flight shared their writes").anyMatch(size -> size > 1);
    }

    @Test
    void aRetryFindingItsOwnEntryStillCompletesTheDelivery() {
        Exchange first = exchange(session("msg_1", "user_1"), "audit-only", "ignored");
        follower.follow(first);
        assertThat(first.getProperty(SyncConstants.COMPLETED, Boolean.class)).isTrue();
        assertThat(first.getProperty(SyncConstants.MONGODB_AUDITED, Boolean.class)).isTrue();

        // The deliver route retries the same exchange (a store failure after the insert).
        follower.follow(first);
        assertThat(first.getProperty(SyncConstants.COMPLETED, Boolean.class)).isTrue();

        // Another request for the svix-id does not.
        Exchange other = exchange(session("msg_1", "user_1"), "audit-only", "ignored");
        follower.follow(other);
        assertThat(other.getProperty(SyncConstants.COMPLETED, Boolean.class)).isFalse();
    }

    @Test
    void anUnreachableStoreFailsTheBatchWithTheDriversOwnException() {
        assumeTrue(System.getenv("MONGODB_URI") == null, "only the test's own server can be stopped");
        server.close();
        Exchange exchange = exchange(userUpdate("msg_1", "user_1", 1_000), "upsert-user", "applied");
        assertThatThrownBy(() -> follower.follow(exchange)).isInstanceOf(MongoException.class)
                .isNotInstanceOf(MongoBulkWriteException.class);
        server = MongoTestServer.start(); // for stop()
    }

    /**
     * Deletions, cascades and memberships go through the same bulk writes as the upserts: a batch
     * holding a user's membership, then that user's deletion, then a later membership of theirs,
     * decided here alone, comes out as one after the other would.
     */
    @Test
    void decidingAloneABatchOfDeletionsAndMembershipsComesOutAsOneAfterTheOther() {
        List<MongoWriter.Write> batch = List.of(
                decide(userUpdate("msg_u1", "user_1", 1_000), "upsert-user"),
                decide(organization("msg_o1", "org_1", 1_000), "upsert-organization"),
                decide(membership("msg_m1", "orgmem_1", "org_1", "user_1", 1_000), "upsert-membership"),
                decide(membership("msg_m2", "orgmem_2", "org_1", "user_2", 1_000), "upsert-membership"),
                decide(session("msg_s1", "user_1"), "audit-only"),
                decide(userDeleted("msg_d1", "user_1", 5_000), "delete-user"),
                // After the deletion: stale, and erased.
                decide(membership("msg_m3", "orgmem_3", "org_1", "user_1", 6_000), "upsert-membership"),
                decide(session("msg_s2", "user_1"), "audit-only"),
                decide(userUpdate("msg_u1_later", "user_1", 9_000), "upsert-user"));

        follower.writeBatch(batch);

        assertThat(batch).extracting(MongoWriter.Write::outcome).containsExactly(
                "applied", "applied", "applied", "applied", "ignored", "applied", "stale", "ignored", "stale");
        assertThat(batch).allSatisfy(w -> assertThat(w.completed).as(w.event.svixId()).isTrue());
        Document member1 = memberships().find(new Document("_id", "orgmem_1")).first();
        assertThat(member1.get("deletedAt")).as("the deletion cascaded").isNotNull();
        assertThat(member1.getString("lastEventId")).isEqualTo("msg_d1");
        assertThat(memberships().find(new Document("_id", "orgmem_2")).first().get("deletedAt")).isNull();
        assertThat(memberships().find(new Document("_id", "orgmem_3")).first()).isNull();
        assertThat(users().find(new Document("_id", "user_1")).first().getString("lastEventId")).isEqualTo("msg_d1");
        for (String erased : List.of("msg_u1", "msg_s1", "msg_m1", "msg_m3", "msg_s2", "msg_u1_later")) {
            assertThat(audit().find(new Document("_id", erased)).first().get("payload", Document.class))
                    .as(erased).isEqualTo(new Document("erased", true));
        }
        assertThat(audit().find(new Document("_id", "msg_d1")).first().get("payload", Document.class).get("erased")).isNull();
    }

    /** Following, a deletion deletes the memberships the deciding store's cascade deleted, and those alone. */
    @Test
    void followingADeletionDeletesTheMembershipsTheDecidersCascadeDeleted() {
        follower.writeBatch(List.of(
                follow(membership("msg_m1", "orgmem_1", "org_1", "user_1", 1_000), "upsert-membership", "applied"),
                follow(membership("msg_m2", "orgmem_2", "org_1", "user_2", 1_000), "upsert-membership", "applied")));

        MongoWriter.Write deletion = new MongoWriter.Write(organizationDeleted("msg_od", "org_1", 5_000),
                SyncAction.DELETE_ORGANIZATION, "applied", false, List.of("orgmem_1"), false);
        follower.writeBatch(List.of(deletion));

        assertThat(deletion.completed).isTrue();
        assertThat(memberships().find(new Document("_id", "orgmem_1")).first().getString("lastEventId")).isEqualTo("msg_od");
        assertThat(memberships().find(new Document("_id", "orgmem_2")).first().get("deletedAt")).isNull();
    }

    /** The memberships of one organization share a round: they only read it. */
    @Test
    void membershipsOfOneOrganizationShareARound() {
        List<MongoWriter.Write> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(decide(membership("msg_m" + i, "orgmem_" + i, "org_1", "user_" + i, 1_000), "upsert-membership"));
        }
        assertThat(DecisionRounds.of(batch, MongoWriter.Write::exclusiveKeys, MongoWriter.Write::sharedKeys)).hasSize(1);
        batch.add(decide(organizationDeleted("msg_od", "org_1", 5_000), "delete-organization"));
        assertThat(DecisionRounds.of(batch, MongoWriter.Write::exclusiveKeys, MongoWriter.Write::sharedKeys)).hasSize(2);

        follower.writeBatch(batch);

        assertThat(memberships().countDocuments(new Document("deletedAt", null))).isZero();
        assertThat(memberships().countDocuments(new Document("lastEventId", "msg_od"))).isEqualTo(50);
    }

    /** The check behind the unordered audit write: the server names every failed insert by index, and inserts the rest. */
    @Test
    void theServerNamesEachFailedInsertOfAnUnorderedBulkWrite() {
        audit().insertOne(new Document("_id", "b"));
        audit().insertOne(new Document("_id", "d"));
        List<WriteModel<Document>> inserts = new ArrayList<>();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            inserts.add(new InsertOneModel<>(new Document("_id", id)));
        }
        assertThatThrownBy(() -> audit().bulkWrite(inserts, new BulkWriteOptions().ordered(false)))
                .isInstanceOfSatisfying(MongoBulkWriteException.class, e -> assertThat(e.getWriteErrors())
                        .extracting(BulkWriteError::getIndex, BulkWriteError::getCode)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 11000), org.assertj.core.groups.Tuple.tuple(3, 11000)));
        assertThat(audit().countDocuments()).isEqualTo(5);
    }

    @Test
    void followingAUsersDeletionErasesTheEntriesTheDecidingStoreErasedByTheirIds() throws Exception {
        audit().insertOne(new Document("_id", "msg_before").append("userId", "user_9").append("payload", new Document("a", 1)));
        audit().insertOne(new Document("_id", "msg_other_user").append("userId", "user_8").append("payload", new Document("a", 1)));
        MongoWriter.Write deletion = follow(userDeleted("msg_deleted", "user_9", 9_000), "delete-user", "applied")
                .erasing(List.of("msg_before", "msg_deleted"));

        follower.writeBatch(List.of(deletion));

        assertThat(deletion.failed()).isFalse();
        assertThat(audit().find(new Document("_id", "msg_before")).first().get("payload", Document.class))
                .isEqualTo(new Document("erased", true));
        // The deletion's own entry keeps its payload, even when named; other users' entries are untouched.
        assertThat(audit().find(new Document("_id", "msg_deleted")).first().get("payload", Document.class).get("erased")).isNull();
        assertThat(audit().find(new Document("_id", "msg_other_user")).first().get("payload", Document.class))
                .isEqualTo(new Document("a", 1));
    }

    private MongoWriter.Write follow(ClerkEvent event, String action, String outcome) {
        return new MongoWriter.Write(event, SyncAction.named(action), outcome, false, List.of(), false);
    }

    private MongoWriter.Write decide(ClerkEvent event, String action) {
        return new MongoWriter.Write(event, SyncAction.named(action), null, false, null, false);
    }

    private Exchange exchange(ClerkEvent event, String action, String outcome) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(ClerkEventParser.EVENT, event);
        exchange.setProperty(SyncConstants.ACTION, action);
        exchange.setProperty(SyncConstants.OUTCOME, outcome);
        exchange.setProperty(SyncConstants.ERASED, false);
        return exchange;
    }

    private static ClerkEvent userUpdate(String svixId, String userId, long updatedAt) {
        return parse(svixId, ClerkEvents.user("user.updated", userId, BASE + updatedAt).json());
    }

    private static ClerkEvent organization(String svixId, String organizationId, long updatedAt) {
        return parse(svixId, OrganizationEvents.organization("organization.updated", organizationId, BASE + updatedAt).json());
    }

    private static ClerkEvent membership(String svixId, String membershipId, String organizationId, String userId,
                                         long updatedAt) {
        return parse(svixId, OrganizationEvents.membership("organizationMembership.updated", membershipId, organizationId,
                userId, BASE + updatedAt).json());
    }

    private static ClerkEvent userDeleted(String svixId, String userId, long timestamp) {
        return parse(svixId, ClerkEvents.deleted(userId, BASE + timestamp).json());
    }

    private static ClerkEvent organizationDeleted(String svixId, String organizationId, long timestamp) {
        return parse(svixId, OrganizationEvents.organizationDeleted(organizationId, BASE + timestamp).json());
    }

    private static ClerkEvent session(String svixId, String userId) {
        return parse(svixId, OrganizationEvents.session("sess_" + svixId, userId, BASE + 1_000).json());
    }

    private static ClerkEvent parse(String svixId, String json) {
        try {
            return ClerkEventParser.parse(svixId, json, Instant.now());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private com.mongodb.client.MongoDatabase database() {
        return client.getDatabase(server.databaseName());
    }

    private MongoCollection<Document> users() {
        return database().getCollection("users");
    }

    private MongoCollection<Document> memberships() {
        return database().getCollection("organization_memberships");
    }

    private MongoCollection<Document> audit() {
        return database().getCollection("audit_log");
    }
}
