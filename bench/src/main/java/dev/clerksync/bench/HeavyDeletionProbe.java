package dev.clerksync.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * Heavy deletions while other deliveries arrive (bench/heavy-deletions.sh): seeds an organization
 * with N memberships and a user with M audit entries directly into both stores (as a long-lived
 * deployment holds them), then, while workers send other users' updates, sends the organization's
 * deletion and the user's. Prints each deletion's answer and time, the other deliveries' slowest and
 * p99 times and failures, how long until the deferred chunks were done, and whether anything was
 * left live or un-erased in either store.
 */
final class HeavyDeletionProbe {

    private static final String ORGANIZATION = "org_heavy";
    private static final String USER = "user_heavy";
    private static final long T0 = 1_730_000_000_000L;

    private HeavyDeletionProbe() {
    }

    static int run(Args args) throws Exception {
        String url = args.required("url");
        DeliverySigner signer = new DeliverySigner(args.required("secret"));
        int memberships = args.intValue("memberships", 20_000);
        int entries = args.intValue("audit-entries", 100_000);
        int workers = args.intValue("concurrency", 4);
        try (Connection postgres = DriverManager.getConnection(args.required("postgres-url"), args.get("postgres-user", "postgres"), "");
             MongoClient mongoClient = MongoClients.create(args.required("mongodb-uri"))) {
            MongoDatabase mongo = mongoClient.getDatabase(args.get("mongodb-database", "bench"));
            long seeding = System.nanoTime();
            seed(postgres, mongo, memberships, entries);
            System.out.printf("seeded %d memberships of %s and %d audit entries of %s in both stores in %.1f s%n",
                    memberships, ORGANIZATION, entries, USER, (System.nanoTime() - seeding) / 1e9);

            WebhookSender sender = new WebhookSender(url, Duration.ofSeconds(30));
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Long> others = new ConcurrentLinkedQueue<>();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
            List<Future<?>> loops = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        int n = sequence.incrementAndGet();
                        Delivery update = new Delivery(n, "msg_other_" + n, "user.updated", userUpdated("user_other_" + (n % 500), n),
                                "user_other_" + (n % 500), null);
                        long started = System.nanoTime();
                        WebhookSender.Answer answer = sender.send(update, System.currentTimeMillis() / 1000,
                                signer.sign(update, System.currentTimeMillis() / 1000));
                        others.add(System.nanoTime() - started);
                        if (answer.status() != 200) {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(2_000);
            long began = System.nanoTime();
            report("organization.deleted (" + memberships + " memberships)", sender, signer,
                    new Delivery(0, "msg_heavy_org", "organization.deleted", organizationDeleted(), null, null));
            report("user.deleted (" + entries + " audit entries)", sender, signer,
                    new Delivery(0, "msg_heavy_user", "user.deleted", ClerkEvents.userDeleted(USER, T0 + 10_000_000), USER, null));
            long waited = awaitChunks(postgres, Duration.ofMinutes(30));
            Thread.sleep(1_000);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            pool.shutdown();
            System.out.printf("deferred chunks done %.1f s after the first deletion was sent%n",
                    (waited - began) / 1e9);
            List<Long> sorted = others.stream().sorted().toList();
            System.out.printf("other deliveries meanwhile: %d, failed %d, p50 %.0f ms, p99 %.0f ms, slowest %.0f ms%n",
                    sorted.size(), failures.get(), percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
            return verify(postgres, mongo) ? 0 : 1;
        }
    }

    private static void report(String what, WebhookSender sender, DeliverySigner signer, Delivery deletion) {
        long timestamp = System.currentTimeMillis() / 1000;
        long started = System.nanoTime();
        WebhookSender.Answer answer = sender.send(deletion, timestamp, signer.sign(deletion, timestamp));
        System.out.printf("%s: HTTP %d %s in %d ms%n", what, answer.status(), answer.outcome(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Another user's update: a small user object, newer each time. */
    private static byte[] userUpdated(String userId, int n) {
        return ("{\"object\":\"event\",\"type\":\"user.updated\",\"timestamp\":" + (T0 + n)
                + ",\"data\":{\"object\":\"user\",\"id\":\"" + userId + "\",\"first_name\":\"Other " + n
                + "\",\"email_addresses\":[],\"phone_numbers\":[],\"created_at\":" + T0 + ",\"updated_at\":" + (T0 + n) + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] organizationDeleted() {
        return ("{\"object\":\"event\",\"type\":\"organization.deleted\",\"timestamp\":" + (T0 + 10_000_000)
                + ",\"data\":{\"object\":\"organization\",\"id\":\"" + ORGANIZATION + "\",\"deleted\":true}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The rows and documents a long-lived deployment holds, written directly (webhooks would take hours). */
    private static void seed(Connection postgres, MongoDatabase mongo, int memberships, int entries) throws SQLException {
        try (PreparedStatement organization = postgres.prepareStatement(
                "INSERT INTO organizations (id, name, last_event_at, last_event_id) VALUES (?, 'Heavy', to_timestamp(?), 'seed')");
             PreparedStatement user = postgres.prepareStatement(
                "INSERT INTO users (id, first_name, last_event_at, last_event_id) VALUES (?, 'Heavy', to_timestamp(?), 'seed')");
             PreparedStatement members = postgres.prepareStatement(
                "INSERT INTO organization_memberships (id, organization_id, user_id, role, last_event_at, last_event_id, data) "
                        + "SELECT 'orgmem_heavy_' || g, ?, 'user_member_' || g, 'org:member', to_timestamp(?), 'seed', "
                        + "'{\"object\":\"organization_membership\"}'::jsonb FROM generate_series(1, ?) g");
             PreparedStatement audit = postgres.prepareStatement(
                "INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload) "
                        + "SELECT 'msg_seed_' || lpad(g::text, 8, '0'), 'session.created', 'sess_' || g, ?, now(), now(), "
                        + "'ignored', '{\"data\":{\"object\":\"session\",\"client_ip\":\"203.0.113.17\"}}'::jsonb "
                        + "FROM generate_series(1, ?) g")) {
            organization.setString(1, ORGANIZATION);
            organization.setLong(2, T0 / 1000);
            organization.executeUpdate();
            user.setString(1, USER);
            user.setLong(2, T0 / 1000);
            user.executeUpdate();
            members.setString(1, ORGANIZATION);
            members.setLong(2, T0 / 1000);
            members.setInt(3, memberships);
            members.executeUpdate();
            audit.setString(1, USER);
            audit.setInt(2, entries);
            audit.executeUpdate();
        }
        Date at = new Date(T0);
        mongo.getCollection("organizations").insertOne(new Document("_id", ORGANIZATION).append("name", "Heavy")
                .append("lastEventAt", at).append("lastEventId", "seed").append("deletedAt", null));
        mongo.getCollection("users").insertOne(new Document("_id", USER).append("firstName", "Heavy")
                .append("lastEventAt", at).append("lastEventId", "seed").append("deletedAt", null));
        insertMany(mongo.getCollection("organization_memberships"), memberships, g -> new Document("_id", "orgmem_heavy_" + g)
                .append("organizationId", ORGANIZATION).append("userId", "user_member_" + g).append("role", "org:member")
                .append("lastEventAt", at).append("lastEventId", "seed").append("deletedAt", null));
        insertMany(mongo.getCollection("audit_log"), entries, g -> new Document("_id", "msg_seed_" + String.format("%08d", g))
                .append("eventType", "session.created").append("subjectId", "sess_" + g).append("userId", USER)
                .append("outcome", "ignored").append("payload", new Document("data", new Document("object", "session"))));
    }

    private static void insertMany(MongoCollection<Document> collection, int count,
                                   java.util.function.IntFunction<Document> document) {
        List<Document> batch = new ArrayList<>(10_000);
        for (int g = 1; g <= count; g++) {
            batch.add(document.apply(g));
            if (batch.size() == 10_000 || g == count) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
    }

    /** The instant no deferred cascade was left (System.nanoTime). */
    private static long awaitChunks(Connection postgres, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(postgres, "SELECT count(*) FROM cascade_work WHERE finished_at IS NULL") == 0) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("deferred cascades not done after " + atMost);
    }

    private static boolean verify(Connection postgres, MongoDatabase mongo) throws SQLException {
        long liveHere = count(postgres, "SELECT count(*) FROM organization_memberships WHERE organization_id = '"
                + ORGANIZATION + "' AND deleted_at IS NULL");
        long liveThere = mongo.getCollection("organization_memberships").countDocuments(
                Filters.and(Filters.eq("organizationId", ORGANIZATION), Filters.eq("deletedAt", null)));
        long keptHere = count(postgres, "SELECT count(*) FROM audit_log WHERE user_id = '" + USER
                + "' AND payload <> '{\"erased\": true}' AND event_id <> 'msg_heavy_user'");
        long keptThere = mongo.getCollection("audit_log").countDocuments(Filters.and(Filters.eq("userId", USER),
                Filters.ne("payload", new Document("erased", true)), Filters.ne("_id", "msg_heavy_user")));
        System.out.printf("left live: %d memberships in PostgreSQL, %d in MongoDB; left un-erased: %d entries in "
                + "PostgreSQL, %d in MongoDB%n", liveHere, liveThere, keptHere, keptThere);
        return liveHere + liveThere + keptHere + keptThere == 0;
    }

    private static long count(Connection postgres, String sql) throws SQLException {
        try (PreparedStatement statement = postgres.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static double percentile(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p * sortedNanos.size()) - 1);
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }
}
