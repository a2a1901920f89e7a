package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredBilling;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories.Delivery;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random billing histories (CONTRACT §12): per payer, subscriptions whose events embed their items,
 * the items' own events, payment attempts, and for some payers the user's deletion; shuffled,
 * repeated, delivered 16 at a time so that PostgreSQL decides them in set-based rounds. Both stores
 * end in the model's state: each record holds the event with its newest clock (an item: its newest
 * own event or its copy in its subscription's newest event, which always applies), without the
 * payer's personal data when the payer's user is deleted; each svix-id is audited once per store
 * with the outcome it was answered with.
 */
class BillingModelTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    static final int PAYERS = 12;
    static final int THREADS = 16;
    static final long T0 = 1_716_883_200_000L;
    static final String[] ITEM_STATUSES = {"active", "past_due", "canceled", "ended", "upcoming", "incomplete"};

    /** A record's expected final state: the svix-id of the event that wins it, and its data. */
    record Expected(String table, String svixId, JsonNode data, long clock, boolean payerDeleted) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shuffled_concurrent_billing_histories_end_in_the_model_state(long seed) throws Exception {
        Random random = new Random(seed);
        List<Delivery> deliveries = new ArrayList<>();
        Map<String, Expected> model = new HashMap<>();
        Set<String> deletedPayers = new HashSet<>();
        for (int p = 0; p < PAYERS; p++) {
            String tag = "m" + seed + "p" + p;
            String payer = "user_" + tag;
            boolean deleted = random.nextInt(3) == 0;
            if (deleted) {
                deletedPayers.add(payer);
                deliveries.add(new Delivery(WebhookClient.newMessageId(),
                        ClerkEvents.deleted(payer, T0 + random.nextInt(100_000)).json()));
            }
            String subscription = "csub_" + tag;
            List<String> items = List.of("csub_item_" + tag + "a", "csub_item_" + tag + "b");
            // Distinct clocks per record, so that the model does not depend on the order of arrival.
            List<Long> subscriptionClocks = distinctClocks(random, 3 + random.nextInt(3));
            for (long clock : subscriptionClocks) {
                ObjectNode event = BillingEvents.example("subscription.updated", tag, payer);
                ObjectNode data = (ObjectNode) event.get("data");
                data.put("updated_at", clock).put("status", random.nextBoolean() ? "active" : "past_due");
                ArrayNode embedded = data.putArray("items");
                ObjectNode template = (ObjectNode) BillingEvents.published("subscription.updated").get("data").get("items").get(0);
                for (String item : items) {
                    // An embedded copy's clock grows with its subscription's: odd millis, the items' own events even.
                    embedded.add(template.deepCopy().put("id", item).put("updated_at", clock + 1)
                            .put("status", ITEM_STATUSES[random.nextInt(ITEM_STATUSES.length)]));
                }
                add(deliveries, model, BillingModelTest.SUBSCRIPTIONS, subscription, event, clock, deleted);
            }
            long newest = Collections.max(subscriptionClocks);
            for (String item : items) {
                for (long clock : distinctClocks(random, 2 + random.nextInt(3))) {
                    ObjectNode event = BillingEvents.example("subscriptionItem.updated", tag, payer);
                    ((ObjectNode) event.get("data")).put("id", item).put("updated_at", clock)
                            .put("status", ITEM_STATUSES[random.nextInt(ITEM_STATUSES.length)]);
                    add(deliveries, model, ITEMS, item, event, clock, deleted);
                }
            }
            // The newest subscription event always applies, and with it its items under their own clocks.
            Expected winner = model.get(subscription);
            for (JsonNode embedded : winner.data().get("items")) {
                String item = embedded.get("id").asText();
                if (model.get(item).clock() < newest + 1) {
                    model.put(item, new Expected(ITEMS, winner.svixId(), embedded, newest + 1, false));
                }
            }
            for (long clock : distinctClocks(random, 1 + random.nextInt(3))) {
                ObjectNode event = BillingEvents.example("paymentAttempt.updated", tag, payer);
                ((ObjectNode) event.get("data")).put("updated_at", clock)
                        .put("status", random.nextBoolean() ? "paid" : "failed");
                add(deliveries, model, PAYMENTS, "pa_" + tag, event, clock, deleted);
            }
        }
        List<Delivery> shuffled = new ArrayList<>(deliveries);
        for (Delivery delivery : deliveries) {
            if (random.nextDouble() < 0.15) {
                shuffled.add(delivery);
            }
        }
        Collections.shuffle(shuffled, random);

        WebhookClient client = stack.client();
        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        for (Delivery delivery : shuffled) {
            sends.add(() -> {
                decisions.answered(delivery.svixId(), client.send(delivery.svixId(), delivery.payload()));
                return null;
            });
        }
        Concurrently.run(THREADS, sends);

        PostgresDatabase postgres = stack.postgres();
        MongoTestServer mongo = stack.mongo();
        assertThat(decisions.assertAuditedAsAnswered(postgres, mongo)).hasSize(deliveries.size());
        System.out.printf("billing model: seed=%d records=%d deliveries=%d deleted payers=%d%n", seed, model.size(),
                shuffled.size(), deletedPayers.size());
        model.forEach((id, expected) -> {
            JsonNode data = expected.data().deepCopy();
            if (expected.payerDeleted() && data.get("payer") instanceof ObjectNode payer) {
                payer.remove(List.of("first_name", "last_name", "email", "image_url", "profile_image_url"));
            }
            for (Map<String, Object> stored : List.of(StoredBilling.inPostgres(postgres, expected.table(), id),
                    StoredBilling.inMongo(mongo, expected.table(), id))) {
                assertThat(stored).as(id).containsEntry("last_event_id", expected.svixId())
                        .containsEntry("status", expected.data().get("status").asText())
                        .containsEntry("data", data);
            }
        });
    }

    static final String SUBSCRIPTIONS = "billing_subscriptions";
    static final String ITEMS = "billing_subscription_items";
    static final String PAYMENTS = "billing_payment_attempts";

    private static void add(List<Delivery> deliveries, Map<String, Expected> model, String table, String id,
                            ObjectNode event, long clock, boolean payerDeleted) {
        String svixId = WebhookClient.newMessageId();
        deliveries.add(new Delivery(svixId, event.toString()));
        Expected current = model.get(id);
        if (current == null || current.clock() < clock) {
            model.put(id, new Expected(table, svixId, event.get("data"), clock, payerDeleted));
        }
    }

    /** Distinct even clocks after T0 (the embedded copies get odd ones). */
    private static List<Long> distinctClocks(Random random, int count) {
        Set<Long> clocks = new HashSet<>();
        while (clocks.size() < count) {
            clocks.add(T0 + 2L * random.nextInt(1_000_000));
        }
        return new ArrayList<>(clocks);
    }
}
