package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.BackfillRunner.Run;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.FakeClerkApi.RecordedRequest;
import dev.clerksync.support.FakeClerkApi.TooManyRequests;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredAudit;
import dev.clerksync.support.StoredBilling;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code backfill --billing} (CONTRACT §12, §8) against the fake Backend API, into real PostgreSQL
 * and MongoDB with the service running beside it: subscription items page by page, each payer's
 * subscription, through the webhook's write path. Each test has ids of its own (a tag).
 */
class BackfillBillingTest {

    static final String SUBSCRIPTIONS = "billing_subscriptions";
    static final String ITEMS = "billing_subscription_items";

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final WebhookClient webhooks = stack.client();
    final FakeClerkApi clerk = FakeClerkApi.start();
    // A broker configured, as BackfillTest does: the backfill's changes then write their change events.
    final BackfillRunner backfill = new BackfillRunner(postgres, mongo, clerk,
            Map.of("clerk.change-events.rabbitmq-uri", "amqp://guest:guest@127.0.0.1:5672"));

    @AfterEach
    void stopClerk() {
        clerk.close();
    }

    @Test
    void a_full_billing_backfill_puts_every_subscription_and_item_in_both_stores() {
        List<String> payers = new ArrayList<>();
        for (int i = 1; i <= 600; i++) {
            payers.add(String.format("user_bfull%06d", i));
        }
        payers.set(1, "org_bfull000002");
        List<String> items = clerk.generateBilling("bfull", payers);
        // A second item of the first payer's subscription: its payer's subscription is asked for once.
        ObjectNode second = clerk.newSubscriptionItem("csub_item_bfullsecond", "csub_bfull000001", "team");
        clerk.add(second);
        // A payer whose subscription Clerk no longer finds: its item is kept, without a subscription id.
        clerk.fault(request -> request.path().equals("/v1/users/user_bfull000003/billing/subscription"), 1,
                new ErrorStatus(404));
        clerk.fault(request -> request.path().equals("/v1/users/user_bfull000004/billing/subscription"), 1,
                new TooManyRequests(1));

        Run run = backfill.run("--billing", "--rate", "0");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode summary = run.summary();
        assertThat(summary.path("subscription_items").path("fetched").asLong()).isEqualTo(601);
        assertThat(summary.path("subscription_items").path("applied").asLong()).isEqualTo(601);
        assertThat(summary.path("subscriptions").path("fetched").asLong()).isEqualTo(599);
        assertThat(summary.path("subscriptions").path("applied").asLong()).isEqualTo(599);
        assertThat(summary.path("users").path("fetched").asLong()).as("--billing reads no users").isZero();
        assertThat(summary.path("rate_limited").asLong()).isEqualTo(1);
        assertThat(run.err()).contains("subscriptions 599 fetched, 599 applied")
                .contains("subscription_items 601 of 601 fetched, 601 applied");
        String runId = summary.path("run").asText();
        List<RecordedRequest> asked = clerk.requests().stream()
                .filter(request -> request.path().endsWith("/billing/subscription")).toList();
        assertThat(asked).as("each payer once, and the 429 again").hasSize(601);
        assertThat(clerk.requests()).filteredOn(request -> request.path().equals("/v1/billing/subscription_items"))
                .extracting(request -> request.param("offset") + " " + request.param("include_free") + " "
                        + request.param("order_by")).as("free plans' items too, in Clerk's only order")
                .containsExactly("0 true null", "500 true null");

        // A user's item and subscription, column by column, the same in both stores.
        ObjectNode item = listed(items.get(0));
        ObjectNode asWebhook = item.deepCopy().put("subscription_id", "csub_bfull000001").put("interval", "month");
        String itemEvent = "backfill:" + runId + ":" + items.get(0);
        Map<String, Object> row = StoredBilling.inPostgres(postgres, ITEMS, items.get(0));
        assertThat(columns(row)).isEqualTo(StoredBilling.expected(ITEMS, asWebhook, itemEvent, "csub_bfull000001",
                "user_bfull000001", null));
        assertThat(row.get("data")).isEqualTo(asWebhook);
        assertThat(StoredBilling.inMongo(mongo, ITEMS, items.get(0))).isEqualTo(row);
        assertThat(StoredBilling.inPostgres(postgres, ITEMS, "csub_item_bfullsecond"))
                .containsEntry("plan_slug", "team").containsEntry("subscription_id", "csub_bfull000001");

        Map<String, Object> subscription = StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bfull000001");
        JsonNode subscriptionData = (JsonNode) subscription.get("data");
        assertThat(columns(subscription)).isEqualTo(StoredBilling.expected(SUBSCRIPTIONS, subscriptionData,
                "backfill:" + runId + ":csub_bfull000001", null, "user_bfull000001", null));
        assertThat(subscriptionData.path("payer")).as("the payer of its items").isEqualTo(item.get("payer"));
        assertThat(subscriptionData.path("subscription_items")).hasSize(2);
        assertThat(StoredBilling.inMongo(mongo, SUBSCRIPTIONS, "csub_bfull000001")).isEqualTo(subscription);

        // An organization's: its organization_id, no user.
        assertThat(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bfull000002"))
                .containsEntry("organization_id", "org_bfull000002").containsEntry("user_id", null);
        assertThat(StoredBilling.inMongo(mongo, ITEMS, items.get(1)))
                .containsEntry("organization_id", "org_bfull000002").containsEntry("user_id", null)
                .containsEntry("subscription_id", "csub_bfull000002");
        // The payer without a subscription: the item alone.
        assertThat(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bfull000003")).isNull();
        assertThat(StoredBilling.inPostgres(postgres, ITEMS, items.get(2))).containsEntry("subscription_id", null)
                .containsEntry("user_id", "user_bfull000003");

        // Audited as §8 says, in both stores, under the payer's user (§5 erasure finds it).
        StoredAudit audit = StoredAudit.inPostgres(postgres, itemEvent);
        assertThat(audit.eventType()).isEqualTo("subscriptionItem.backfilled");
        assertThat(audit.subjectId()).isEqualTo(items.get(0));
        assertThat(audit.userId()).isEqualTo("user_bfull000001");
        assertThat(audit.outcome()).isEqualTo("applied");
        assertThat(audit.payload()).isEqualTo(asWebhook);
        assertThat(StoredAudit.inMongo(mongo, itemEvent)).isEqualTo(audit);
        StoredAudit subscriptionAudit = StoredAudit.inPostgres(postgres, "backfill:" + runId + ":csub_bfull000001");
        assertThat(subscriptionAudit.eventType()).isEqualTo("subscription.backfilled");
        assertThat(StoredAudit.inMongo(mongo, subscriptionAudit.eventId())).isEqualTo(subscriptionAudit);
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id LIKE ?", "backfill:" + runId + ":%"))
                .isEqualTo(601 + 599);
        assertThat(postgres.query("SELECT type, seq FROM change_events WHERE subject = ?", items.get(0)))
                .containsExactly(Map.of("type", "subscriptionItem.changed", "seq", 1L));
    }

    @Test
    void a_second_run_changes_nothing() {
        clerk.generateBilling("bagain", List.of("user_bagain1", "org_bagain2", "user_bagain3"));
        Run first = backfill.run("--billing");
        assertThat(first.status()).as(first.err()).isZero();
        List<Map<String, Object>> rows = postgres.query("SELECT *, data::text AS data_text FROM " + ITEMS
                + " WHERE id LIKE 'csub_item_bagain%' ORDER BY id");
        List<Map<String, Object>> subscriptions = postgres.query("SELECT *, data::text AS data_text FROM "
                + SUBSCRIPTIONS + " WHERE id LIKE 'csub_bagain%' ORDER BY id");
        List<Document> documents = documents(ITEMS, "^csub_item_bagain");
        documents.addAll(documents(SUBSCRIPTIONS, "^csub_bagain"));
        long audited = postgres.count("SELECT count(*) FROM audit_log");
        long changes = postgres.count("SELECT count(*) FROM change_events");

        Run second = backfill.run("--billing");

        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.summary().path("subscription_items").path("applied").asLong()).isZero();
        assertThat(second.summary().path("subscription_items").path("unchanged").asLong()).isEqualTo(3);
        assertThat(second.summary().path("subscriptions").path("applied").asLong()).isZero();
        assertThat(second.summary().path("subscriptions").path("unchanged").asLong()).isEqualTo(3);
        assertThat(postgres.query("SELECT *, data::text AS data_text FROM " + ITEMS
                + " WHERE id LIKE 'csub_item_bagain%' ORDER BY id")).isEqualTo(rows);
        assertThat(postgres.query("SELECT *, data::text AS data_text FROM " + SUBSCRIPTIONS
                + " WHERE id LIKE 'csub_bagain%' ORDER BY id")).isEqualTo(subscriptions);
        List<Document> after = documents(ITEMS, "^csub_item_bagain");
        after.addAll(documents(SUBSCRIPTIONS, "^csub_bagain"));
        assertThat(after).isEqualTo(documents);
        assertThat(postgres.count("SELECT count(*) FROM audit_log")).as("nothing audited").isEqualTo(audited);
        assertThat(postgres.count("SELECT count(*) FROM change_events")).as("no change event").isEqualTo(changes);
    }

    @Test
    void a_newer_webhook_wins_whichever_comes_first() {
        // Tags a, b, c: the fake's records have the ids of Clerk's examples made about them.
        List<String> payers = List.of("user_bracea", "user_braceb", "user_bracec");
        for (String tag : List.of("bracea", "braceb", "bracec")) {
            clerk.add(clerk.newSubscription("csub_" + tag, "user_" + tag));
            clerk.add(clerk.newSubscriptionItem("csub_item_" + tag, "csub_" + tag, "pro"));
        }
        // Before the backfill: newer item and subscription events about a.
        assertThat(webhooks.send(clocked("subscriptionItem.updated", "bracea", BackfillTest.NEWER).toString())
                .field("status")).isEqualTo("applied");
        assertThat(webhooks.send(clocked("subscription.updated", "bracea", BackfillTest.NEWER).toString())
                .field("status")).isEqualTo("applied");

        Run run = backfill.run("--billing");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.summary().path("subscription_items").path("applied").asLong()).isEqualTo(2);
        assertThat(run.summary().path("subscription_items").path("unchanged").asLong()).isEqualTo(1);
        assertThat(run.summary().path("subscriptions").path("applied").asLong()).isEqualTo(2);
        assertThat(run.summary().path("subscriptions").path("unchanged").asLong()).isEqualTo(1);
        // After the backfill: a newer event about b applies, an older one about c is stale.
        assertThat(webhooks.send(clocked("subscriptionItem.updated", "braceb", BackfillTest.NEWER).toString())
                .field("status")).isEqualTo("applied");
        assertThat(webhooks.send(clocked("subscriptionItem.updated", "bracec", BackfillTest.OLDER).toString())
                .field("status")).isEqualTo("stale");
        assertThat(webhooks.send(clocked("subscription.updated", "bracec", BackfillTest.OLDER).toString())
                .field("status")).isEqualTo("stale");

        // Clerk's example is on "pro-plan", the fake on "pro".
        for (String[] expected : List.of(new String[] {"bracea", "pro-plan"}, new String[] {"braceb", "pro-plan"},
                new String[] {"bracec", "pro"})) {
            String id = "csub_item_" + expected[0];
            assertThat(StoredBilling.inPostgres(postgres, ITEMS, id)).as(id).containsEntry("plan_slug", expected[1]);
            assertThat(StoredBilling.inMongo(mongo, ITEMS, id)).as(id).isEqualTo(StoredBilling.inPostgres(postgres, ITEMS, id));
        }
        assertThat(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bracea"))
                .containsEntry("last_event_at", java.time.Instant.ofEpochMilli(BackfillTest.NEWER));
        assertThat(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bracec").get("last_event_id").toString())
                .startsWith("backfill:");
        assertThat(StoredBilling.inMongo(mongo, SUBSCRIPTIONS, "csub_bracec"))
                .isEqualTo(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS, "csub_bracec"));
        assertThat(payers).allSatisfy(payer -> assertThat(StoredBilling.inPostgres(postgres, SUBSCRIPTIONS,
                "csub_" + payer.substring(5))).containsEntry("user_id", payer));
    }

    @Test
    void a_run_stopped_by_clerk_errors_resumes_where_it_stopped() {
        List<String> payers = new ArrayList<>();
        for (int i = 1; i <= 700; i++) {
            payers.add(String.format("user_bresume%06d", i));
        }
        clerk.generateBilling("bresume", payers);
        clerk.fault(request -> request.path().equals("/v1/billing/subscription_items") && "500".equals(request.param("offset")),
                5, new ErrorStatus(500));

        Run stopped = backfill.run("--billing", "--rate", "0");

        assertThat(stopped.status()).isEqualTo(1);
        assertThat(stopped.err()).contains("run it again with --resume to continue where it stopped")
                .contains("/billing/subscription_items");
        assertThat(stopped.summary().path("subscription_items").path("applied").asLong()).isEqualTo(500);
        assertThat(stopped.summary().path("subscriptions").path("applied").asLong()).isEqualTo(500);
        String runId = stopped.summary().path("run").asText();
        int before = clerk.requests().size();

        Run resumed = backfill.run("--billing", "--resume", "--rate", "0");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.summary().path("run").asText()).isEqualTo(runId);
        assertThat(resumed.summary().path("subscription_items").path("applied").asLong()).isEqualTo(700);
        assertThat(resumed.summary().path("subscriptions").path("applied").asLong()).isEqualTo(700);
        assertThat(clerk.requests().subList(before, clerk.requests().size()))
                .filteredOn(request -> request.path().equals("/v1/billing/subscription_items"))
                .extracting(request -> request.param("offset")).containsExactly("500");
        assertThat(postgres.count("SELECT count(*) FROM " + ITEMS + " WHERE id LIKE 'csub_item_bresume%'")).isEqualTo(700);
        assertThat(postgres.count("SELECT count(*) FROM " + SUBSCRIPTIONS + " WHERE id LIKE 'csub_bresume%'")).isEqualTo(700);
        assertThat(mongo.database().getCollection(ITEMS).countDocuments(Filters.regex("_id", "^csub_item_bresume")))
                .isEqualTo(700);
        assertThat(mongo.database().getCollection(SUBSCRIPTIONS).countDocuments(Filters.regex("_id", "^csub_bresume")))
                .isEqualTo(700);
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id LIKE ?", "backfill:" + runId + ":%"))
                .isEqualTo(1_400);
    }

    /** The item as the fake lists it now. */
    private ObjectNode listed(String id) {
        return clerk.subscriptionItem(id);
    }

    private static Map<String, Object> columns(Map<String, Object> row) {
        Map<String, Object> columns = new LinkedHashMap<>(row);
        columns.remove("data");
        return columns;
    }

    private List<Document> documents(String collection, String idPattern) {
        return mongo.database().getCollection(collection).find(Filters.regex("_id", idPattern))
                .sort(new Document("_id", 1)).into(new ArrayList<>());
    }

    /** Clerk's example of the type about the tag's records and payer, at this clock (a subscription without embedded items). */
    private static ObjectNode clocked(String type, String tag, long updatedAt) {
        ObjectNode event = BillingEvents.example(type, tag, "user_" + tag);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("updated_at", updatedAt);
        data.remove("items");
        return event;
    }
}
