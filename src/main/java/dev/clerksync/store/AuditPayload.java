package dev.clerksync.store;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.event.ClerkEvent;

/**
 * The event as the audit log keeps it: as received, less the one-time codes and message contents
 * that {@code email.*} and {@code sms.*} events carry (docs/how-it-works.md), and less the address and
 * browser of the request behind a {@code user.deleted} — the one entry about a deleted user that
 * erasure keeps as it is, so it must hold no personal data. A backfilled object is kept as
 * Clerk's Backend API listed it: there is no event around it.
 */
public final class AuditPayload {

    /**
     * What an audit entry about a deleted user keeps of its payload (docs/how-it-works.md, erasure): the ids,
     * type, times and outcome stay, as the audit trail; the payload may hold personal data. The SQL
     * files write the same JSON.
     */
    public static final String ERASED_JSON = "{\"erased\": true}";

    /** The type suffix of the objects the backfill applies ({@code user.backfilled}, …). */
    public static final String BACKFILLED = ".backfilled";

    static final List<String> REDACTED_DATA_FIELDS = List.of("body", "body_plain", "subject", "message", "data");

    /** What {@code event_attributes.http_request} says of the person who made the request. */
    static final List<String> REDACTED_REQUEST_FIELDS = List.of("client_ip", "user_agent");

    private AuditPayload() {
    }

    public static JsonNode of(ClerkEvent event) {
        if (event.type().endsWith(BACKFILLED)) {
            return event.data();
        }
        if (ClerkEvent.USER_DELETED.equals(event.type())) {
            ObjectNode copy = event.root().deepCopy();
            if (copy.path("event_attributes").path("http_request") instanceof ObjectNode request) {
                request.remove(REDACTED_REQUEST_FIELDS);
            }
            return copy;
        }
        if (!carriesMessageContent(event.type())) {
            return event.root();
        }
        ObjectNode copy = event.root().deepCopy();
        ((ObjectNode) copy.get("data")).remove(REDACTED_DATA_FIELDS);
        return copy;
    }

    static boolean carriesMessageContent(String type) {
        return type.startsWith("email.") || type.startsWith("sms.");
    }
}
