package dev.clerksync.backfill;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;
import dev.clerksync.store.AuditPayload;
import dev.clerksync.store.SyncAction;

/**
 * The events a backfill applies, so that it goes through the same statements and routes as a
 * webhook: an object Clerk lists is a {@code <type>.backfilled} event clocked by its {@code
 * updated_at} (a newer webhook always wins), and a record Clerk no longer has is its {@code
 * <type>.deleted} event clocked by the run's start. Both carry the id {@code backfill:<run>:<id>}.
 */
final class BackfillEvents {

    private BackfillEvents() {
    }

    /** The event type prefix of a kind: {@code user}, {@code organization}, {@code organizationMembership}. */
    static String typePrefix(Kind kind) {
        return switch (kind) {
            case USERS -> "user";
            case ORGANIZATIONS -> "organization";
            case MEMBERSHIPS -> "organizationMembership";
        };
    }

    static SyncAction upsert(Kind kind) {
        return switch (kind) {
            case USERS -> SyncAction.UPSERT_USER;
            case ORGANIZATIONS -> SyncAction.UPSERT_ORGANIZATION;
            case MEMBERSHIPS -> SyncAction.UPSERT_MEMBERSHIP;
        };
    }

    static SyncAction delete(Kind kind) {
        return switch (kind) {
            case USERS -> SyncAction.DELETE_USER;
            case ORGANIZATIONS -> SyncAction.DELETE_ORGANIZATION;
            case MEMBERSHIPS -> SyncAction.DELETE_MEMBERSHIP;
        };
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
        String type = typePrefix(kind) + AuditPayload.BACKFILLED;
        return new ClerkEvent(eventId(run, id), type, id, userOf(kind, id, data), clock, receivedAt, clock,
                envelope(type, data));
    }

    /**
     * The deletion of a record Clerk answers 404 for. A membership's organization and user come from
     * the stored row: the statements and the cascades need them, as in a real {@code .deleted}.
     */
    static ClerkEvent deleted(Kind kind, String run, StoredRecord record, Instant runStart) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("object", kind == Kind.MEMBERSHIPS ? "organization_membership" : typePrefix(kind));
        data.put("id", record.id());
        data.put("deleted", true);
        if (kind == Kind.MEMBERSHIPS) {
            data.putObject("organization").put("id", record.organizationId());
            data.putObject("public_user_data").put("user_id", record.userId());
        }
        String type = typePrefix(kind) + ".deleted";
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
        };
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
