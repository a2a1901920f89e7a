package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.verify.RejectedDeliveryException;
import dev.clerksync.verify.RejectionReason;
import org.junit.jupiter.api.Test;

/** How a Clerk billing object becomes a record's columns, on the payloads Clerk publishes and the cases they leave open. */
class BillingRecordTest {

    @Test
    void an_empty_payer_organization_is_null_and_the_payer_user_is_the_events_user() throws Exception {
        ClerkEvent event = parse(BillingEvents.published("subscription.created"));
        BillingRecord record = BillingRecord.of(event);

        assertThat(record.columns()).containsEntry("organizationId", null)
                .containsEntry("userId", "user_34D368EufHwugfYh4yyGNEheM0S");
        assertThat(event.userId()).isEqualTo("user_34D368EufHwugfYh4yyGNEheM0S");
    }

    @Test
    void an_organization_payer_has_no_user_and_its_organization() throws Exception {
        ObjectNode example = BillingEvents.published("subscriptionItem.active");
        ((ObjectNode) example.get("data").get("payer")).put("user_id", "").put("organization_id", "org_payer");
        ClerkEvent event = parse(example);
        BillingRecord record = BillingRecord.of(event);

        assertThat(record.columns()).containsEntry("userId", null).containsEntry("organizationId", "org_payer");
        assertThat(event.userId()).isNull();
    }

    @Test
    void embedded_items_take_their_subscription_and_payer_once_each_with_the_newest_copy() throws Exception {
        ObjectNode example = BillingEvents.published("subscription.created");
        ObjectNode first = (ObjectNode) example.get("data").get("items").get(0);
        ObjectNode newer = first.deepCopy().put("updated_at", first.get("updated_at").asLong() + 1).put("status", "past_due");
        ((ArrayNode) example.get("data").get("items")).add(newer);
        ((ArrayNode) example.get("data").get("items")).addObject().put("id", "csub_item_no_clock");

        var items = BillingRecord.of(parse(example)).embeddedItems();

        assertThat(items).hasSize(1);
        assertThat(items.get(0).columns()).containsEntry("subscriptionId", "csub_2g7np7Hrk0SN6kj5EDMLDaKNL0S")
                .containsEntry("userId", "user_34D368EufHwugfYh4yyGNEheM0S").containsEntry("status", "past_due")
                .containsEntry("isFreeTrial", false).containsEntry("planSlug", "pro-plan").containsEntry("interval", "month");
    }

    @Test
    void a_payment_attempt_holds_its_grand_total_and_the_code_of_its_failure() throws Exception {
        ObjectNode example = BillingEvents.published("paymentAttempt.updated");
        ((ObjectNode) example.get("data")).putObject("failed_reason").put("code", "card_declined").put("decline_code", "do_not_honor");
        BillingRecord record = BillingRecord.of(parse(example));

        assertThat(record.columns()).containsEntry("amount", 2200L).containsEntry("currency", "USD")
                .containsEntry("failedReason", "card_declined").containsEntry("paidAt", Instant.ofEpochMilli(1716883500000L));
    }

    @Test
    void without_the_payer_keeps_ids_and_everything_else() throws Exception {
        BillingRecord record = BillingRecord.of(parse(BillingEvents.published("paymentAttempt.created")));

        ObjectNode payer = (ObjectNode) record.dataWithoutPayer().get("payer");
        assertThat(payer.fieldNames()).toIterable().containsExactly("id", "user_id");
        assertThat(record.dataWithoutPayer().get("totals")).isEqualTo(record.data().get("totals"));
        assertThat(record.data().get("payer").has("email")).isTrue();
    }

    @Test
    void a_billing_event_without_an_id_or_an_updated_at_is_refused() {
        for (String field : new String[] {"id", "updated_at"}) {
            ObjectNode example = BillingEvents.published("subscriptionItem.canceled");
            ((ObjectNode) example.get("data")).remove(field);
            assertThatThrownBy(() -> parse(example)).isInstanceOf(RejectedDeliveryException.class)
                    .extracting(e -> ((RejectedDeliveryException) e).reason()).isEqualTo(RejectionReason.BILLING_EVENT_INCOMPLETE);
        }
    }

    private static ClerkEvent parse(ObjectNode event) throws RejectedDeliveryException {
        return ClerkEventParser.parse("msg_billing", event.toString(), Instant.now());
    }
}
