package dev.clerksync.event;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A verified Clerk event.
 *
 * @param svixId     the message id of the delivery: the idempotency key in every store
 * @param type       e.g. {@code user.updated}
 * @param subjectId  {@code data.id}, or null when the event has none
 * @param userId     the Clerk user the event is about (docs/how-it-works.md, {@code audit_log.user_id}), or null
 * @param eventAt    the envelope {@code timestamp}, or null when absent
 * @param receivedAt when this service received the delivery
 * @param clock      the ordering clock of synced events (docs/how-it-works.md), null for other types
 * @param root       the event as received
 */
public record ClerkEvent(
        String svixId,
        String type,
        String subjectId,
        String userId,
        Instant eventAt,
        Instant receivedAt,
        Instant clock,
        ObjectNode root) {

    public static final String USER_CREATED = "user.created";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_DELETED = "user.deleted";
    public static final String ORGANIZATION_CREATED = "organization.created";
    public static final String ORGANIZATION_UPDATED = "organization.updated";
    public static final String ORGANIZATION_DELETED = "organization.deleted";
    public static final String MEMBERSHIP_CREATED = "organizationMembership.created";
    public static final String MEMBERSHIP_UPDATED = "organizationMembership.updated";
    public static final String MEMBERSHIP_DELETED = "organizationMembership.deleted";

    /** The billing kinds (CONTRACT §12): every event of these types upserts its object. */
    public static final String SUBSCRIPTION_PREFIX = "subscription.";
    public static final String SUBSCRIPTION_ITEM_PREFIX = "subscriptionItem.";
    public static final String PAYMENT_ATTEMPT_PREFIX = "paymentAttempt.";

    /** The organization of a Clerk membership object: {@code organization.id}, or null. */
    public static String membershipOrganizationId(JsonNode membership) {
        return textOrNull(membership.path("organization").path("id"));
    }

    /** The user of a Clerk membership object: {@code public_user_data.user_id}, or null. */
    public static String membershipUserId(JsonNode membership) {
        return textOrNull(membership.path("public_user_data").path("user_id"));
    }

    /**
     * The user of a Clerk billing object's payer: {@code payer.user_id}, or null when absent or
     * {@code ""} (Clerk sends "" for an organization payer's user, and the reverse).
     */
    public static String payerUserId(JsonNode billingObject) {
        return nonEmptyTextOrNull(billingObject.path("payer").path("user_id"));
    }

    /** The organization of a Clerk billing object's payer: {@code payer.organization_id}, or null when absent or "". */
    public static String payerOrganizationId(JsonNode billingObject) {
        return nonEmptyTextOrNull(billingObject.path("payer").path("organization_id"));
    }

    static String nonEmptyTextOrNull(JsonNode node) {
        String text = textOrNull(node);
        return text == null || text.isEmpty() ? null : text;
    }

    public static boolean isBillingEvent(String type) {
        return type.startsWith(SUBSCRIPTION_PREFIX) || type.startsWith(SUBSCRIPTION_ITEM_PREFIX)
                || type.startsWith(PAYMENT_ATTEMPT_PREFIX);
    }

    static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    public ObjectNode data() {
        return (ObjectNode) root.get("data");
    }

    public boolean isUserEvent() {
        return isUserEvent(type);
    }

    static boolean isUserEvent(String type) {
        return USER_CREATED.equals(type) || USER_UPDATED.equals(type) || USER_DELETED.equals(type);
    }

    static boolean isOrganizationEvent(String type) {
        return ORGANIZATION_CREATED.equals(type) || ORGANIZATION_UPDATED.equals(type) || ORGANIZATION_DELETED.equals(type);
    }

    static boolean isMembershipEvent(String type) {
        return MEMBERSHIP_CREATED.equals(type) || MEMBERSHIP_UPDATED.equals(type) || MEMBERSHIP_DELETED.equals(type);
    }

    /** A deletion is final and clocked by the envelope timestamp; every other synced event by data.updated_at. */
    static boolean isDeletion(String type) {
        return USER_DELETED.equals(type) || ORGANIZATION_DELETED.equals(type) || MEMBERSHIP_DELETED.equals(type);
    }
}
