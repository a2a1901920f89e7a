package dev.clerksync.support;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Clerk's published billing examples ({@code clerk-fixtures/billing}, README there), made about
 * records of a test's own: every id ending in the examples' suffix gets the test's tag instead, and
 * both payers' user ids (the subscription examples name one user, the payment attempts another)
 * become the test's payer.
 */
public final class BillingEvents {

    public static final List<String> TYPES = List.of(
            "subscription.created", "subscription.updated", "subscription.active", "subscription.pastDue",
            "subscriptionItem.updated", "subscriptionItem.active", "subscriptionItem.canceled",
            "subscriptionItem.upcoming", "subscriptionItem.ended", "subscriptionItem.abandoned",
            "subscriptionItem.incomplete", "subscriptionItem.pastDue", "subscriptionItem.freeTrialEnding",
            "paymentAttempt.created", "paymentAttempt.updated");

    static final String SUFFIX = "2g7np7Hrk0SN6kj5EDMLDaKNL0S";
    static final List<String> PAYERS = List.of("user_34D368EufHwugfYh4yyGNEheM0S", "user_" + SUFFIX);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BillingEvents() {
    }

    /** The published example of this type as Clerk sent it. */
    public static ObjectNode published(String type) {
        return parse(Fixtures.read("billing/" + type + ".json"));
    }

    /** The example with its ids tagged ({@code csub_<tag>}, {@code csub_item_<tag>}, {@code pa_<tag>}, …) and this payer. */
    public static ObjectNode example(String type, String tag, String payerUserId) {
        String json = Fixtures.read("billing/" + type + ".json");
        for (String payer : PAYERS) {
            json = json.replace(payer, payerUserId);
        }
        return parse(json.replace(SUFFIX, tag));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
