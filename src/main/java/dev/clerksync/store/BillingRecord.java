package dev.clerksync.store;

import static dev.clerksync.store.ClerkFields.text;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;

/**
 * A Clerk Billing object as a row of its table and a document of its collection (CONTRACT §12,
 * docs/billing.md): the columns in camelCase, which are both the SQL statements' parameter names
 * and the documents' field names, with times as instants; {@code data} apart, since it is stored
 * without the payer's personal data once the payer's user is deleted ({@link #dataWithoutPayer()}).
 *
 * @param kind      which table
 * @param id        the Clerk id
 * @param updatedAt {@code updated_at}: the record's ordering clock
 * @param columns   every other column (not id, last_event_at, last_event_id, data), in the table's order
 * @param data      the object as received
 */
public record BillingRecord(RecordKind kind, String id, Instant updatedAt, Map<String, Object> columns, JsonNode data) {

    /** The payer's personal data (names, email, image) in Clerk's billing objects; db/migration V11 has the same list. */
    public static final List<String> PAYER_PERSONAL_FIELDS =
            List.of("first_name", "last_name", "email", "image_url", "profile_image_url");

    /** The record of a billing event's object (a {@code subscription.*}, {@code subscriptionItem.*} or {@code paymentAttempt.*}). */
    public static BillingRecord of(ClerkEvent event) {
        JsonNode data = StorableJson.withoutNul(event.data());
        RecordKind kind = RecordKind.ofEventType(event.type());
        if (!RecordKind.billing().contains(kind)) {
            throw new IllegalArgumentException("not a billing event type: " + event.type());
        }
        return switch (kind) {
            case SUBSCRIPTION -> subscription(data);
            case SUBSCRIPTION_ITEM -> subscriptionItem(data, text(data, "subscription_id"),
                    ClerkEvent.payerUserId(data), ClerkEvent.payerOrganizationId(data));
            default -> paymentAttempt(data);
        };
    }

    static BillingRecord subscription(JsonNode data) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("status", text(data, "status"));
        columns.put("payerId", text(data, "payer_id"));
        columns.put("userId", ClerkEvent.payerUserId(data));
        columns.put("organizationId", ClerkEvent.payerOrganizationId(data));
        columns.put("activeAt", time(data, "active_at"));
        columns.put("canceledAt", time(data, "canceled_at"));
        columns.put("endedAt", time(data, "ended_at"));
        columns.put("pastDueAt", time(data, "past_due_at"));
        return withTimes(RecordKind.SUBSCRIPTION, data, columns);
    }

    /**
     * An item, from its own event or embedded in its subscription's. An embedded item names no
     * subscription ({@code "subscription_id": null} in Clerk's examples) and carries no payer: they
     * are its subscription's.
     */
    static BillingRecord subscriptionItem(JsonNode data, String subscriptionId, String userId, String organizationId) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("subscriptionId", subscriptionId);
        columns.put("status", text(data, "status"));
        columns.put("planId", text(data, "plan_id") != null ? text(data, "plan_id") : text(data.path("plan"), "id"));
        columns.put("planSlug", text(data.path("plan"), "slug"));
        columns.put("interval", text(data, "interval"));
        JsonNode freeTrial = data.get("is_free_trial");
        columns.put("isFreeTrial", freeTrial != null && freeTrial.isBoolean() ? freeTrial.asBoolean() : null);
        columns.put("periodStart", time(data, "period_start"));
        columns.put("periodEnd", time(data, "period_end"));
        columns.put("userId", userId);
        columns.put("organizationId", organizationId);
        return withTimes(RecordKind.SUBSCRIPTION_ITEM, data, columns);
    }

    static BillingRecord paymentAttempt(JsonNode data) {
        JsonNode total = data.path("totals").path("grand_total");
        JsonNode failedReason = data.path("failed_reason");
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("paymentId", text(data, "payment_id"));
        columns.put("status", text(data, "status"));
        columns.put("userId", ClerkEvent.payerUserId(data));
        columns.put("organizationId", ClerkEvent.payerOrganizationId(data));
        columns.put("amount", total.path("amount").isIntegralNumber() && total.path("amount").canConvertToLong()
                ? total.path("amount").asLong() : null);
        columns.put("currency", text(total, "currency"));
        columns.put("paidAt", time(data, "paid_at"));
        columns.put("failedAt", time(data, "failed_at"));
        // Clerk's schema makes it an object {code, decline_code}: the code is the column.
        columns.put("failedReason", failedReason.isTextual() ? failedReason.asText() : text(failedReason, "code"));
        columns.put("billingDate", time(data, "billing_date"));
        return withTimes(RecordKind.PAYMENT_ATTEMPT, data, columns);
    }

    private static BillingRecord withTimes(RecordKind kind, JsonNode data, Map<String, Object> columns) {
        Instant updatedAt = time(data, "updated_at");
        columns.put("createdAt", time(data, "created_at"));
        columns.put("updatedAt", updatedAt);
        return new BillingRecord(kind, text(data, "id"), updatedAt, Collections.unmodifiableMap(columns), data);
    }

    /**
     * A subscription's embedded items ({@code data.items}), each a record of its own under its own
     * clock; items without an id or an {@code updated_at} are left out (nothing could order them),
     * and an item listed twice counts once, with its newest copy (one write per record and round).
     */
    public List<BillingRecord> embeddedItems() {
        Map<String, BillingRecord> items = new LinkedHashMap<>();
        if (kind != RecordKind.SUBSCRIPTION) {
            return List.of();
        }
        for (JsonNode item : data.path("items")) {
            if (item.isObject()) {
                BillingRecord record = subscriptionItem(item, id, (String) columns.get("userId"),
                        (String) columns.get("organizationId"));
                if (record.id() != null && record.updatedAt() != null) {
                    items.merge(record.id(), record, (kept, other) -> other.updatedAt().isAfter(kept.updatedAt()) ? other : kept);
                }
            }
        }
        return new ArrayList<>(items.values());
    }

    /** The payer's user: the one whose deletion erases the payer's personal data here. */
    public String userId() {
        return (String) columns.get("userId");
    }

    /** {@link #data} less the payer's personal data (its names, email and image), ids, amounts, statuses and times kept. */
    public JsonNode dataWithoutPayer() {
        if (!(data.path("payer") instanceof ObjectNode)) {
            return data;
        }
        ObjectNode copy = data.deepCopy();
        ((ObjectNode) copy.get("payer")).remove(PAYER_PERSONAL_FIELDS);
        return copy;
    }

    private static Instant time(JsonNode data, String field) {
        return EpochTime.toInstant(data.get(field));
    }
}
