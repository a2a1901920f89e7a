package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.BackfillRunner.Run;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.FakeClerkApi.DroppedConnection;
import dev.clerksync.support.FakeClerkApi.RecordedRequest;
import dev.clerksync.support.FakeClerkApi.TooManyRequests;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.StoredOrganization;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.TcpProxy;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code backfill} against a fake of Clerk's Backend API, into real PostgreSQL and MongoDB, with
 * the service running beside it: what it applies, what it leaves, how it pages, waits and resumes.
 * Each test has users of its own (an id prefix): the stores are shared by the class.
 */
class BackfillTest {

    /** Clocks on either side of every object the fake lists (all updated around 1.7e12 ms). */
    static final long NEWER = 1_800_000_000_000L;
    static final long OLDER = 1_600_000_000_000L;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final WebhookClient webhooks = stack.client();
    final FakeClerkApi clerk = FakeClerkApi.start();
    // A broker configured, as a service publishing change events has: the backfill's changes then
    // write theirs (the relay is the service's, not the backfill's: nothing connects to it here).
    final BackfillRunner backfill = new BackfillRunner(postgres, mongo, clerk,
            Map.of("clerk.change-events.rabbitmq-uri", "amqp://guest:guest@127.0.0.1:5672"));

    @AfterEach
    void stopClerk() {
        assertThat(clerk.requests()).as("no page larger than Clerk serves")
                .allSatisfy(request -> assertThat(request.param("limit") == null
                        || Integer.parseInt(request.param("limit")) <= 500).isTrue());
        clerk.close();
    }

    @Test
    void a_full_backfill_puts_every_user_organization_and_membership_in_both_stores() {
        List<String> users = clerk.generateUsers("full", 1_100);
        clerk.add(clerk.newOrganization("org_full1")).add(clerk.newOrganization("org_full2"));
        clerk.add(clerk.newMembership("orgmem_full1", "org_full1", users.get(0)))
                .add(clerk.newMembership("orgmem_full2", "org_full1", users.get(1)))
                .add(clerk.newMembership("orgmem_full3", "org_full2", users.get(0)));

        Run run = backfill.run();

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode summary = run.summary();
        assertThat(summary.path("users").path("fetched").asLong()).isEqualTo(1_100);
        assertThat(summary.path("users").path("applied").asLong()).isEqualTo(1_100);
        assertThat(summary.path("users").path("unchanged").asLong()).isZero();
        assertThat(summary.path("organizations").path("applied").asLong()).isEqualTo(2);
        assertThat(summary.path("memberships").path("applied").asLong()).isEqualTo(3);
        assertThat(summary.path("requests").asLong()).isGreaterThanOrEqualTo(3 + 1 + 1 + 2);
        String runId = summary.path("run").asText();

        assertThat(postgres.count("SELECT count(*) FROM users WHERE id LIKE 'user_full%' AND deleted_at IS NULL")).isEqualTo(1_100);
        assertThat(mongo.database().getCollection("users").countDocuments(Filters.regex("_id", "^user_full"))).isEqualTo(1_100);
        String last = users.get(users.size() - 1);
        StoredUser expected = StoredUser.inPostgres(postgres, last);
        assertThat(expected.firstName()).isEqualTo("Firstfull001100");
        assertThat(StoredUser.inMongo(mongo, last)).isEqualTo(expected);
        assertThat(StoredOrganization.inPostgres(postgres, "org_full2").name()).isEqualTo("Organization full2");
        assertThat(StoredOrganization.inMongo(mongo, "org_full2")).isEqualTo(StoredOrganization.inPostgres(postgres, "org_full2"));
        assertThat(StoredMembership.inPostgres(postgres, "orgmem_full3").userId()).isEqualTo(users.get(0));
        assertThat(StoredMembership.inMongo(mongo, "orgmem_full3")).isEqualTo(StoredMembership.inPostgres(postgres, "orgmem_full3"));

        // Audited as the contract says: backfill:<run>:<id>, <type>.backfilled, applied, the object.
        String eventId = "backfill:" + runId + ":" + last;
        Map<String, Object> audit = postgres.query("SELECT event_type, subject_id, user_id, outcome, payload::text AS payload "
                + "FROM audit_log WHERE event_id = ?", eventId).get(0);
        assertThat(audit).containsEntry("event_type", "user.backfilled").containsEntry("subject_id", last)
                .containsEntry("user_id", last).containsEntry("outcome", "applied");
        assertThat((String) audit.get("payload")).contains("\"id\": \"" + last + "\"").doesNotContain("\"type\"");
        Document mongoAudit = mongo.database().getCollection("audit_log").find(Filters.eq("_id", eventId)).first();
        assertThat(mongoAudit.getString("eventType")).isEqualTo("user.backfilled");
        assertThat(mongoAudit.getString("outcome")).isEqualTo("applied");
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id LIKE ?", "backfill:" + runId + ":%"))
                .isEqualTo(1_100 + 2 + 3);
        assertThat(postgres.query("SELECT status FROM backfill_runs WHERE run_id = ?", runId))
                .containsExactly(Map.of("status", "done"));

        // Each applied record wrote its change event in its page's transaction (docs/change-events.md).
        assertThat(postgres.query("SELECT type, seq, source_event_id FROM change_events WHERE subject = ?", last))
                .containsExactly(Map.of("type", "user.changed", "seq", 1L, "source_event_id", eventId));
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE source_event_id LIKE ?", "backfill:" + runId + ":%"))
                .isEqualTo(1_100 + 2 + 3);
    }

    @Test
    void a_second_run_changes_nothing() {
        clerk.generateUsers("again", 600);
        assertThat(backfill.run("--users").status()).isZero();
        List<Map<String, Object>> rows = postgres.query("SELECT *, data::text AS data_text FROM users WHERE id LIKE 'user_again%' ORDER BY id");
        List<Document> documents = mongo.database().getCollection("users").find(Filters.regex("_id", "^user_again"))
                .into(new java.util.ArrayList<>());
        long audited = postgres.count("SELECT count(*) FROM audit_log");

        Run second = backfill.run("--users");

        assertThat(second.status()).isZero();
        assertThat(second.summary().path("users").path("applied").asLong()).isZero();
        assertThat(second.summary().path("users").path("unchanged").asLong()).isEqualTo(600);
        assertThat(postgres.query("SELECT *, data::text AS data_text FROM users WHERE id LIKE 'user_again%' ORDER BY id")).isEqualTo(rows);
        assertThat(mongo.database().getCollection("users").find(Filters.regex("_id", "^user_again"))
                .into(new java.util.ArrayList<>())).isEqualTo(documents);
        assertThat(postgres.count("SELECT count(*) FROM audit_log")).as("nothing audited").isEqualTo(audited);
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE subject LIKE 'user_again%'"))
                .as("no change event for an unchanged record").isEqualTo(600);
    }

    @Test
    void a_newer_webhook_wins_whichever_comes_first_and_a_deleted_user_stays_deleted() {
        List<String> users = clerk.generateUsers("race", 4);
        // Before the backfill: a newer update of user 1, the deletion of user 2.
        assertThat(webhooks.send(ClerkEvents.user("user.updated", users.get(0), NEWER).firstName("Webhook").json())
                .field("status")).isEqualTo("applied");
        assertThat(webhooks.send(ClerkEvents.deleted(users.get(1), NEWER).json()).field("status")).isEqualTo("applied");

        Run run = backfill.run("--users");

        assertThat(run.status()).isZero();
        assertThat(run.summary().path("users").path("applied").asLong()).isEqualTo(2);
        assertThat(run.summary().path("users").path("unchanged").asLong()).isEqualTo(2);
        assertThat(StoredUser.inPostgres(postgres, users.get(0)).firstName()).isEqualTo("Webhook");
        assertThat(StoredUser.inMongo(mongo, users.get(0)).firstName()).isEqualTo("Webhook");
        assertThat(StoredUser.inPostgres(postgres, users.get(1))).isEqualTo(StoredUser.tombstone(users.get(1), NEWER));
        assertThat(StoredUser.inMongo(mongo, users.get(1))).isEqualTo(StoredUser.tombstone(users.get(1), NEWER));
        // After the backfill: a newer webhook applies, an older one is stale.
        assertThat(webhooks.send(ClerkEvents.user("user.updated", users.get(2), NEWER).firstName("Later").json())
                .field("status")).isEqualTo("applied");
        assertThat(webhooks.send(ClerkEvents.user("user.updated", users.get(3), OLDER).firstName("Older").json())
                .field("status")).isEqualTo("stale");
        assertThat(StoredUser.inMongo(mongo, users.get(2)).firstName()).isEqualTo("Later");
        assertThat(StoredUser.inMongo(mongo, users.get(3)).firstName()).isEqualTo("Firstrace000004");
    }

    @Test
    void rate_limits_server_errors_and_dropped_connections_are_waited_out_and_retried() {
        clerk.generateUsers("flaky", 700);
        clerk.fault("/v1/users", 1, new TooManyRequests(1));
        clerk.fault(request -> "500".equals(request.param("offset")), 2, new ErrorStatus(502));
        clerk.fault(request -> "500".equals(request.param("offset")), 1, new DroppedConnection());

        Run run = backfill.run("--users");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.summary().path("rate_limited").asLong()).isEqualTo(1);
        assertThat(run.summary().path("users").path("applied").asLong()).isEqualTo(700);
        assertThat(postgres.count("SELECT count(*) FROM users WHERE id LIKE 'user_flaky%'")).isEqualTo(700);
        assertThat(mongo.database().getCollection("users").countDocuments(Filters.regex("_id", "^user_flaky"))).isEqualTo(700);
    }

    @Test
    void an_api_that_cannot_be_reached_is_named_with_its_variable_and_with_nothing_read_resume_is_not_suggested()
            throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/v1";

        Run run = backfill.runAgainst(url, "--users");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("backfill stopped: cannot reach the Clerk Backend API at " + url
                        + " (CLERK_API_URL): connection refused; run it again once that is fixed")
                .doesNotContain("--resume").doesNotContain("Exception");
    }

    @Test
    void a_run_stopped_by_clerk_errors_resumes_where_it_stopped() {
        clerk.generateUsers("resume", 1_600);
        clerk.fault(request -> "1000".equals(request.param("offset")), 5, new ErrorStatus(500));

        Run stopped = backfill.run("--users");

        assertThat(stopped.status()).isEqualTo(1);
        assertThat(stopped.err()).contains("run it again with --resume to continue where it stopped").contains("/users");
        assertThat(stopped.summary().path("users").path("applied").asLong()).isEqualTo(1_000);
        String runId = stopped.summary().path("run").asText();
        int before = clerk.requests().size();

        Run resumed = backfill.run("--users", "--resume");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.summary().path("run").asText()).isEqualTo(runId);
        assertThat(resumed.summary().path("users").path("applied").asLong()).isEqualTo(1_600);
        List<RecordedRequest> pages = clerk.requests().subList(before, clerk.requests().size()).stream()
                .filter(request -> request.path().equals("/v1/users")).toList();
        assertThat(pages).extracting(request -> request.param("offset")).containsExactly("1000", "1500");
        assertThat(postgres.count("SELECT count(*) FROM users WHERE id LIKE 'user_resume%'")).isEqualTo(1_600);
        assertThat(mongo.database().getCollection("users").countDocuments(Filters.regex("_id", "^user_resume"))).isEqualTo(1_600);
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id LIKE ?", "backfill:" + runId + ":%")).isEqualTo(1_600);
    }

    /**
     * The document store follows each page while the next one is decided: when MongoDB goes away
     * the run fails at the last page written in both stores, never at the page PostgreSQL reached,
     * so that --resume writes MongoDB what it missed.
     */
    @Test
    void a_document_store_outage_stops_the_run_where_both_stores_have_it_and_resume_completes_both() throws IOException {
        clerk.generateUsers("docdown", 1_600);
        try (TcpProxy mongoRelay = TcpProxy.start(mongo.host(), mongo.port())) {
            BackfillRunner throughRelay = new BackfillRunner(postgres, mongo, clerk, Map.of("clerk.mongodb.uri",
                    "mongodb://127.0.0.1:" + mongoRelay.port() + "/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"));
            // Once the stores are open: the first page is decided, and its following fails.
            clerk.onRequest(request -> request.path().equals("/v1/users") && "0".equals(request.param("offset")), () -> {
                try {
                    mongoRelay.cut();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            Run stopped = throughRelay.run("--users");

            assertThat(stopped.status()).as(stopped.out()).isEqualTo(1);
            assertThat(stopped.err()).contains("run it again with --resume to continue where it stopped");
            assertThat(postgres.count("SELECT count(*) FROM users WHERE id LIKE 'user_docdown%'"))
                    .as("PostgreSQL decided a page (or two) before the run stopped").isPositive();
            assertThat(mongo.database().getCollection("users").countDocuments(Filters.regex("_id", "^user_docdown"))).isZero();
            mongoRelay.restore();

            Run resumed = throughRelay.run("--users", "--resume");

            assertThat(resumed.status()).as(resumed.err()).isZero();
            assertThat(resumed.summary().path("users").path("applied").asLong()).isEqualTo(1_600);
            assertThat(postgres.count("SELECT count(*) FROM users WHERE id LIKE 'user_docdown%'")).isEqualTo(1_600);
            assertThat(mongo.database().getCollection("users").countDocuments(Filters.regex("_id", "^user_docdown")))
                    .isEqualTo(1_600);
            String runId = resumed.summary().path("run").asText();
            assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.regex("_id", "^backfill:" + runId + ":")))
                    .isEqualTo(1_600);
        }
    }

    @Test
    void a_key_clerk_refuses_stops_with_exit_2_and_is_never_printed() {
        String wrongKey = "sk_test_ThisKeyIsNotKnownToClerk0000000000";

        Run run = backfill.runWithKey(wrongKey, "--users");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("CLERK_SECRET_KEY was rejected");
        assertThat(run.out() + run.err()).doesNotContain(wrongKey).doesNotContain("ThisKeyIsNotKnown");
    }
}
