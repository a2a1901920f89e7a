package dev.clerksync.event;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A verified Clerk event.
 *
 * @param svixId     the message id of the delivery: the idempotency key in every store
 * @param type       e.g. {@code user.updated}
 * @param subjectId  {@code data.id}, or null when the event has none
 * @param eventAt    the envelope {@code timestamp}, or null when absent
 * @param receivedAt when this service received the delivery
 * @param clock      the ordering clock of user events (contract §5), null for other types
 * @param root       the event as received
 */
public record ClerkEvent(
        String svixId,
        String type,
        String subjectId,
        Instant eventAt,
        Instant receivedAt,
        Instant clock,
        ObjectNode root) {

    public static final String USER_CREATED = "user.created";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_DELETED = "user.deleted";

    public ObjectNode data() {
        return (ObjectNode) root.get("data");
    }

    public boolean isUserEvent() {
        return isUserEvent(type);
    }

    static boolean isUserEvent(String type) {
        return USER_CREATED.equals(type) || USER_UPDATED.equals(type) || USER_DELETED.equals(type);
    }
}
