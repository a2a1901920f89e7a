package dev.clerksync.backfill;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;
import dev.clerksync.store.AuditPayload;

/**
 * The events a backfill applies, so that it goes through the same statements and routes as a
 * webhook: an object Clerk lists is a {@code <type>.backfilled} event clocked by its {@code
 * updated_at} (a newer webhook always wins), and a record Clerk no longer has is its {@code
 * <type>.deleted} event clocked by the run's start. Both carry the id {@code backfill:<run>:<id>}.
 */
final class BackfillEvents {

    private BackfillEvents() {
    }

    static String eventId(String run, String id) {
        return "backfill:" + run + ":" + id;
    }

    /**
     * An object as Clerk lists it, as if its {@code *.updated} had arrived; null when it lacks the
     * id or the {@code updated_at} that every Clerk object has (it cannot be ordered).
     */
    static ClerkEvent backfilled(Kind kind, String run, JsonNode object, Instant receivedAt) {
        if (!(object instanceof ObjectNode data) || !data.path("id").isTextual()) {
            return null;
        }
        Instant clock = EpochTime.toInstant(data.get("updated_at"));
        if (clock == null || (kind == Kind.MEMBERSHIPS && (ClerkEvent.membershipOrganizationId(data) == null
                || ClerkEvent.membershipUserId(data) == null))) {
            return null;
        }
        String id = data.get("id").asText();
        String type = kind.record().eventKind() + AuditPayload.BACKFILLED;
        return new ClerkEvent(eventId(run, id), type, id, userOf(kind, id, data), clock, receivedAt, clock,
                envelope(type, data));
    }

    /**
     * The deletion of a record Clerk answers 404 for. A membership's organization and user come from
     * the stored row: the statements and the cascades need them, as in a real {@code .deleted}.
     */
    static ClerkEvent deleted(Kind kind, String run, StoredRecord record, Instant runStart) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("object", kind == Kind.MEMBERSHIPS ? "organization_membership" : kind.record().eventKind());
        data.put("id", record.id());
        data.put("deleted", true);
        if (kind == Kind.MEMBERSHIPS) {
            data.putObject("organization").put("id", record.organizationId());
            data.putObject("public_user_data").put("user_id", record.userId());
        }
        String type = kind.record().eventKind() + ".deleted";
        ObjectNode root = envelope(type, data);
        root.put("timestamp", runStart.toEpochMilli());
        return new ClerkEvent(eventId(run, record.id()), type, record.id(), userOf(kind, record.id(), data),
                runStart, runStart, runStart, root);
    }

    private static String userOf(Kind kind, String id, JsonNode data) {
        return switch (kind) {
            case USERS -> id;
            case ORGANIZATIONS -> null;
            case MEMBERSHIPS -> ClerkEvent.membershipUserId(data);
            // The payer's user, as for a billing webhook: §5 erasure finds the entry by it.
            case SUBSCRIPTIONS, SUBSCRIPTION_ITEMS -> ClerkEvent.payerUserId(data);
        };
    }

    /**
     * A subscription item as {@code GET /billing/subscription_items} lists it, in the shape of a
     * {@code subscriptionItem.*} event's data, so that it fills the columns a webhook fills: Clerk's
     * list names no {@code subscription_id} (added from the payer's subscription, when it lists the
     * item) and calls the interval {@code plan_period} (added as {@code interval}). Anything else as listed.
     */
    static JsonNode asItemEventData(JsonNode item, String subscriptionId) {
        if (!(item instanceof ObjectNode listed)) {
            return item;
        }
        ObjectNode data = listed.deepCopy();
        if (subscriptionId != null && !data.path("subscription_id").isTextual()) {
            data.put("subscription_id", subscriptionId);
        }
        if (!data.hasNonNull("interval") && data.path("plan_period").isTextual()) {
            data.put("interval", data.get("plan_period").asText());
        }
        return data;
    }

    /**
     * A payer's subscription as {@code GET /users|organizations/{id}/billing/subscription} answers it,
     * in the shape of a {@code subscription.*} event's data: the answer names only the {@code payer_id},
     * so the payer object of the payer's listed item is added (its {@code user_id} or {@code
     * organization_id} fills the columns, as a webhook's does). Its items are not unpacked into
     * {@code items}: the list read them already, each under its own clock.
     */
    static JsonNode asSubscriptionEventData(JsonNode subscription, JsonNode payer) {
        if (!(subscription instanceof ObjectNode answered)) {
            return subscription;
        }
        ObjectNode data = answered.deepCopy();
        if (!data.path("payer").isObject() && payer.isObject()) {
            data.set("payer", payer.deepCopy());
        }
        return data;
    }

    private static ObjectNode envelope(String type, ObjectNode data) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "event");
        root.put("type", type);
        root.set("data", data);
        return root;
    }

    /** A live record the stores hold: its id, and for a membership its organization and user. */
    record StoredRecord(String id, String organizationId, String userId) {
    }
}
