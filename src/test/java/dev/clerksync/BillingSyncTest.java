package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredAudit;
import dev.clerksync.support.StoredBilling;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clerk Billing (CONTRACT §12) through the webhook, in PostgreSQL and MongoDB together, each alone,
 * and the embedded H2 database: every published example stored field by field, the
 * {@code data.updated_at} guard, a subscription's embedded items against their own events in both
 * orders, the payer's erasure, duplicates.
 */
class BillingSyncTest {

    static final String SUBSCRIPTIONS = "billing_subscriptions";
    static final String ITEMS = "billing_subscription_items";
    static final String PAYMENTS = "billing_payment_attempts";
    static final long DAY = 86_400_000L;

    /** What each store holds: a record by table and id (null when absent), an audit entry by svix-id. */
    interface Store {
        Map<String, Object> record(String table, String id) throws SQLException;

        StoredAudit audit(String svixId) throws SQLException;
    }

    /** The deliveries of the walk, by name, with their svix-ids and the events sent. */
    static final class Walk {
        final Map<String, String> svixIds = new LinkedHashMap<>();
        final Map<String, ObjectNode> events = new LinkedHashMap<>();
        final Map<String, String> answers = new LinkedHashMap<>();
        private final WebhookClient client;

        Walk(WebhookClient client) {
            this.client = client;
        }

        void send(String step, ObjectNode event) {
            String svixId = WebhookClient.newMessageId();
            svixIds.put(step, svixId);
            events.put(step, event);
            answers.put(step, client.send(svixId, event.toString()).field("status"));
        }

        String sendAgain(String step) {
            return client.send(svixIds.get(step), events.get(step).toString()).field("status");
        }
    }

    static Walk walk(WebhookClient client) {
        Walk walk = new Walk(client);
        for (String type : BillingEvents.TYPES) {
            walk.send(type, BillingEvents.example(type, tag(type), "user_payer_" + tag(type)));
        }
        // Out of order: the published .pastDue has the .canceled's updated_at; an older one is older still.
        walk.send("canceled", BillingEvents.example("subscriptionItem.canceled", "ooo", "user_ooo"));
        walk.send("pastDue same clock", BillingEvents.example("subscriptionItem.pastDue", "ooo", "user_ooo"));
        ObjectNode older = BillingEvents.example("subscriptionItem.pastDue", "ooo", "user_ooo");
        ((ObjectNode) older.get("data")).put("updated_at", older.get("data").get("updated_at").asLong() - DAY);
        walk.send("pastDue older", older);
        // Embedded items: the item's own later event after its subscription's, and before it.
        walk.send("emb1 subscription", BillingEvents.example("subscription.created", "emb1", "user_emb1"));
        walk.send("emb1 item canceled", BillingEvents.example("subscriptionItem.canceled", "emb1", "user_emb1"));
        walk.send("emb2 item canceled", BillingEvents.example("subscriptionItem.canceled", "emb2", "user_emb2"));
        walk.send("emb2 subscription", BillingEvents.example("subscription.created", "emb2", "user_emb2"));
        walk.send("emb3 item active", BillingEvents.example("subscriptionItem.active", "emb3", "user_emb3"));
        walk.send("emb3 subscription pastDue", BillingEvents.example("subscription.pastDue", "emb3", "user_emb3"));
        // The payer's erasure: records before the user's deletion, and an event after it.
        walk.send("era subscription", BillingEvents.example("subscription.created", "era", "user_era"));
        walk.send("era payment", BillingEvents.example("paymentAttempt.created", "era", "user_era"));
        walk.send("era user deleted", (ObjectNode) json(ClerkEvents.deleted("user_era", 1_730_000_000_000L).json()));
        walk.send("era item later", BillingEvents.example("subscriptionItem.updated", "era", "user_era"));
        return walk;
    }

    static List<String> expectedAnswers() {
        List<String> answers = new ArrayList<>();
        BillingEvents.TYPES.forEach(type -> answers.add("applied"));
        answers.addAll(List.of("applied", "stale", "stale", "applied", "applied", "applied", "applied", "applied",
                "applied", "applied", "applied", "applied", "applied"));
        return answers;
    }

    @ParameterizedTest(name = "stores: {0}")
    @ValueSource(strings = {"postgres,mongodb", "postgres", "mongodb"})
    void billing_events_are_synced_by_every_deciding_store(String stores) throws Exception {
        try (PostgresDatabase postgres = stores.contains("postgres") ? PostgresDatabase.create() : null;
             MongoTestServer mongo = stores.contains("mongodb") ? MongoTestServer.start() : null;
             RunningService service = RunningService.start(postgres, mongo, Map.of())) {
            Walk walk = walk(service.client());

            assertThat(new ArrayList<>(walk.answers.values())).isEqualTo(expectedAnswers());
            assertThat(walk.sendAgain("emb1 subscription")).isEqualTo("duplicate");

            List<Store> held = new ArrayList<>();
            if (postgres != null) {
                held.add(postgres(postgres));
            }
            if (mongo != null) {
                held.add(mongo(mongo));
            }
            for (Store store : held) {
                assertStored(walk, store);
            }
            if (postgres != null) {
                assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?",
                        walk.svixIds.get("emb1 subscription"))).isEqualTo(1);
            }
        }
    }

    @Test
    void the_embedded_database_syncs_billing_events(@TempDir Path dataDir) throws Exception {
        Walk walk;
        try (RunningService service = RunningService.start(Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.mongodb.uri", "",
                "clerk.sync.stores", "postgres,mongodb"))) {
            walk = walk(service.client());
            assertThat(new ArrayList<>(walk.answers.values())).isEqualTo(expectedAnswers());
        }
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("clerk-sync"))) {
            assertStored(walk, new Store() {
                @Override
                public Map<String, Object> record(String table, String id) throws SQLException {
                    return StoredBilling.inH2(h2, table, id);
                }

                @Override
                public StoredAudit audit(String svixId) throws SQLException {
                    try (var statement = h2.prepareStatement("SELECT CAST(payload AS VARCHAR) FROM audit_log WHERE event_id = ?")) {
                        statement.setString(1, svixId);
                        try (var result = statement.executeQuery()) {
                            result.next();
                            JsonNode payload = json(result.getString(1));
                            return new StoredAudit(svixId, null, null, null, null,
                                    payload.isTextual() ? json(payload.asText()) : payload);
                        }
                    }
                }
            });
        }
    }

    private static void assertStored(Walk walk, Store store) throws SQLException {
        // Every published example, field by field, with a subscription's embedded items.
        for (String type : BillingEvents.TYPES) {
            JsonNode data = walk.events.get(type).get("data");
            String table = table(type);
            String payer = "user_payer_" + tag(type);
            String subscriptionId = type.startsWith("subscriptionItem.") ? data.get("subscription_id").asText() : null;
            assertRecord(store, table, data, walk.svixIds.get(type), subscriptionId, payer, type);
            if (type.startsWith("subscription.")) {
                for (JsonNode item : data.get("items")) {
                    assertRecord(store, ITEMS, item, walk.svixIds.get(type), data.get("id").asText(), payer,
                            type + " embedded item");
                }
            }
        }
        // Out of order: the canceled item stays canceled.
        Map<String, Object> ooo = store.record(ITEMS, "csub_item_ooo");
        assertThat(ooo.get("status")).isEqualTo("canceled");
        assertThat(ooo.get("last_event_id")).isEqualTo(walk.svixIds.get("canceled"));
        // Embedded items against their own events, in both orders.
        assertThat(store.record(ITEMS, "csub_item_emb1")).containsEntry("status", "canceled")
                .containsEntry("last_event_id", walk.svixIds.get("emb1 item canceled"));
        assertThat(store.record(ITEMS, "csub_item_emb2")).containsEntry("status", "canceled")
                .containsEntry("last_event_id", walk.svixIds.get("emb2 item canceled"));
        assertThat(store.record(SUBSCRIPTIONS, "csub_emb2")).containsEntry("last_event_id", walk.svixIds.get("emb2 subscription"));
        assertThat(store.record(ITEMS, "csub_item_emb3")).containsEntry("status", "past_due")
                .containsEntry("subscription_id", "csub_emb3")
                .containsEntry("last_event_id", walk.svixIds.get("emb3 subscription pastDue"));
        // The payer's erasure: personal data gone, ids, amounts, statuses and times kept.
        for (String[] record : new String[][] {{SUBSCRIPTIONS, "csub_era", "era subscription"},
                {PAYMENTS, "pa_era", "era payment"}, {ITEMS, "csub_item_era", "era item later"}}) {
            Map<String, Object> stored = store.record(record[0], record[1]);
            JsonNode sent = walk.events.get(record[2]).get("data");
            JsonNode payer = ((JsonNode) stored.get("data")).get("payer");
            assertThat(payer.has("email") || payer.has("first_name") || payer.has("last_name") || payer.has("image_url"))
                    .as("payer's personal data in %s", record[1]).isFalse();
            assertThat(payer.get("id")).isEqualTo(sent.get("payer").get("id"));
            assertThat(payer.get("user_id").asText()).isEqualTo("user_era");
            assertThat(stored).containsEntry("status", sent.get("status").asText()).containsEntry("user_id", "user_era");
            ObjectNode withoutPayer = ((ObjectNode) sent).deepCopy();
            withoutPayer.remove("payer");
            ObjectNode storedWithoutPayer = ((ObjectNode) stored.get("data")).deepCopy();
            storedWithoutPayer.remove("payer");
            assertThat(storedWithoutPayer).as("the rest of %s's data", record[1]).isEqualTo(withoutPayer);
            assertThat(store.audit(walk.svixIds.get(record[2])).erased()).as("audit entry of %s", record[2]).isTrue();
        }
        assertThat(store.record(PAYMENTS, "pa_era")).containsEntry("amount", 2200L);
        assertThat(store.audit(walk.svixIds.get("era user deleted")).erased()).isFalse();
    }

    private static void assertRecord(Store store, String table, JsonNode object, String svixId, String subscriptionId,
                                     String payer, String what) throws SQLException {
        Map<String, Object> stored = store.record(table, object.get("id").asText());
        assertThat(stored).as(what).isNotNull();
        Map<String, Object> expected = StoredBilling.expected(table, object, svixId, subscriptionId, payer, null);
        Map<String, Object> columns = new LinkedHashMap<>(stored);
        JsonNode data = (JsonNode) columns.remove("data");
        assertThat(columns).as(what).isEqualTo(expected);
        assertThat(data).as(what + " data").isEqualTo(object);
    }

    private static Store postgres(PostgresDatabase postgres) {
        return new Store() {
            @Override
            public Map<String, Object> record(String table, String id) {
                return StoredBilling.inPostgres(postgres, table, id);
            }

            @Override
            public StoredAudit audit(String svixId) {
                return StoredAudit.inPostgres(postgres, svixId);
            }
        };
    }

    private static Store mongo(MongoTestServer mongo) {
        return new Store() {
            @Override
            public Map<String, Object> record(String table, String id) {
                return StoredBilling.inMongo(mongo, table, id);
            }

            @Override
            public StoredAudit audit(String svixId) {
                return StoredAudit.inMongo(mongo, svixId);
            }
        };
    }

    /** Each published example gets records of its own: the type's name as the ids' tag. */
    private static String tag(String type) {
        return type.replace(".", "_").toLowerCase(Locale.ROOT);
    }

    private static String table(String type) {
        if (type.startsWith("subscriptionItem.")) {
            return ITEMS;
        }
        return type.startsWith("subscription.") ? SUBSCRIPTIONS : PAYMENTS;
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
