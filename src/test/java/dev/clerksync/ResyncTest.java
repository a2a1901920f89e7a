package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.resync.ResyncMain;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code resync} rebuilds the document store from the relational one: an empty MongoDB added to a
 * PostgreSQL deployment ends up holding exactly what a MongoDB written live beside it holds.
 */
class ResyncTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final List<String> COLLECTIONS = List.of("users", "organizations", "organization_memberships", "audit_log",
            "billing_subscriptions", "billing_subscription_items", "billing_payment_attempts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresDatabase postgres;
    /** Written live by the service, beside PostgreSQL, from the first delivery. */
    private static MongoTestServer live;
    /** Added later, empty, then filled by resync. */
    private static MongoTestServer added;

    @BeforeAll
    static void a_deployment_with_a_varied_history() {
        postgres = PostgresDatabase.create();
        live = MongoTestServer.start();
        added = MongoTestServer.start();
        try (RunningService service = RunningService.start(postgres, live, Map.of())) {
            WebhookClient client = service.client();
            for (int i = 0; i < 3; i++) {
                send(client, ClerkEvents.user("user.created", "user_" + i, T0 + i).firstName("Ada " + i).json());
            }
            send(client, ClerkEvents.user("user.updated", "user_0", T0 + 100).firstName("Ada again").json());
            send(client, ClerkEvents.user("user.updated", "user_0", T0 + 50).json()); // stale
            // Keys MongoDB cannot hold as they are, escaped alike by both paths.
            ClerkEvents odd = ClerkEvents.user("user.updated", "user_1", T0 + 200);
            ((ObjectNode) odd.data().get("public_metadata")).put("$plan.tier", "gold").put("weight", 1.5);
            send(client, odd.json());
            send(client, OrganizationEvents.organization("organization.created", "org_a", T0).json());
            send(client, OrganizationEvents.organization("organization.created", "org_b", T0).json());
            send(client, OrganizationEvents.membership("organizationMembership.created", "orgmem_1", "org_a", "user_0", T0).json());
            send(client, OrganizationEvents.membership("organizationMembership.created", "orgmem_2", "org_b", "user_1", T0).json());
            send(client, OrganizationEvents.membership("organizationMembership.created", "orgmem_3", "org_a", "user_2", T0).json());
            // A deletion that comes first leaves a tombstone; cascades; erasure of the user's audit entries.
            send(client, OrganizationEvents.membershipDeleted("orgmem_9", "org_a", "user_1", T0 + 300, T0).json());
            send(client, OrganizationEvents.session("sess_1", "user_2", T0 + 10).json());
            send(client, OrganizationEvents.email("ema_1", "user_1", T0 + 20).json());
            send(client, OrganizationEvents.organizationDeleted("org_b", T0 + 400).json());
            // Billing records (with an embedded item), one of a payer deleted afterwards: stored without the payer's personal data.
            send(client, BillingEvents.example("subscription.created", "r1", "user_2").toString());
            send(client, BillingEvents.example("subscriptionItem.canceled", "r1", "user_2").toString());
            send(client, BillingEvents.example("paymentAttempt.updated", "r2", "user_1").toString());
            send(client, ClerkEvents.deleted("user_2", T0 + 500).json());
        }
    }

    @AfterAll
    static void close() {
        added.close();
        live.close();
        postgres.close();
    }

    @Test
    void an_added_mongodb_takes_the_deployment_id_then_resync_fills_it_as_the_live_writer_would_have_twice_alike() {
        try (RunningService service = RunningService.start(postgres, added, Map.of())) {
            assertThat(service.context().isStarted()).isTrue();
        }
        assertThat(added.database().getCollection("clerk_sync_deployment").find().first().getString("deploymentId"))
                .isEqualTo(postgres.query("SELECT deployment_id FROM clerk_sync_deployment").get(0).get("deployment_id"));

        Run first = resync(RunningService.storeSettings(postgres, added));
        assertThat(first.status()).as(first.err()).isZero();
        JsonNode summary = first.summary();
        assertThat(summary.get("users").asLong()).isEqualTo(postgres.count("SELECT count(*) FROM users"));
        assertThat(summary.get("organizations").asLong()).isEqualTo(postgres.count("SELECT count(*) FROM organizations"));
        assertThat(summary.get("memberships").asLong()).isEqualTo(postgres.count("SELECT count(*) FROM organization_memberships"));
        assertThat(summary.get("audit_log").asLong()).isEqualTo(postgres.count("SELECT count(*) FROM audit_log"));
        assertThat(summary.get("audit_log").asLong()).isEqualTo(19);
        assertThat(summary.get("subscriptions").asLong()).isEqualTo(1);
        assertThat(summary.get("subscription_items").asLong()).isEqualTo(1);
        assertThat(summary.get("payment_attempts").asLong()).isEqualTo(1);
        for (String collection : COLLECTIONS) {
            assertThat(documents(live, collection)).as(collection).isNotEmpty();
            assertThat(documents(added, collection)).as(collection).isEqualTo(documents(live, collection));
        }

        Map<String, Map<String, Document>> before = new HashMap<>();
        COLLECTIONS.forEach(collection -> before.put(collection, documents(added, collection)));
        Run second = resync(RunningService.storeSettings(postgres, added));
        assertThat(second.status()).as(second.err()).isZero();
        ObjectNode firstCounts = first.summary().deepCopy();
        ObjectNode secondCounts = second.summary().deepCopy();
        firstCounts.remove("seconds");
        secondCounts.remove("seconds");
        assertThat(secondCounts).isEqualTo(firstCounts);
        for (String collection : COLLECTIONS) {
            assertThat(documents(added, collection)).as(collection).isEqualTo(before.get(collection));
        }
    }

    @Test
    void resync_without_the_document_store_is_a_configuration_error() {
        Run run = resync(RunningService.storeSettings(postgres, null));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("resync needs the document store: SYNC_STORES must name postgres and mongodb");
    }

    @Test
    void resync_without_the_relational_store_is_a_configuration_error() {
        Run run = resync(RunningService.storeSettings(null, added));
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("resync needs the relational store");
    }

    @Test
    void resync_takes_no_argument() {
        Run run = resync(RunningService.storeSettings(postgres, added), "--users");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("resync: unexpected argument --users").contains("usage: java -jar clerk-sync.jar resync");
    }

    private static void send(WebhookClient client, String payload) {
        assertThat(client.send(payload).status()).isEqualTo(200);
    }

    private static Map<String, Document> documents(MongoTestServer mongo, String collection) {
        Map<String, Document> byId = new TreeMap<>();
        mongo.database().getCollection(collection).find().forEach(document -> byId.put(document.getString("_id"), document));
        return byId;
    }

    private record Run(int status, String out, String err) {

        JsonNode summary() {
            String[] lines = out.strip().split("\n");
            try {
                return JSON.readTree(lines[lines.length - 1]);
            } catch (Exception e) {
                throw new IllegalStateException("no JSON summary as the last line of: " + out, e);
            }
        }
    }

    private static Run resync(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = CommandLines.execute(new ResyncMain(Path.of(""), new HashMap<>(settings), outStream, errStream), List.of(args),
                    outStream, errStream);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
