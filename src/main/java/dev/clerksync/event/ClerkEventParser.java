package dev.clerksync.event;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.verify.RejectedDeliveryException;
import dev.clerksync.verify.RejectionReason;
import dev.clerksync.verify.SvixSignatureVerifier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Parses a verified payload into a {@link ClerkEvent}, strictly: duplicate keys, trailing data,
 * deep nesting and anything that is not an event with a string {@code type} and an object
 * {@code data} are refused with a 400. Sets the exchange properties the router and sinks read.
 */
public final class ClerkEventParser implements Processor {

    public static final String EVENT = "clerkEvent";
    public static final String EVENT_TYPE = "clerkEventType";

    static final int MAX_NESTING_DEPTH = 200;
    static final int MAX_TYPE_LENGTH = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keep numbers exactly as sent: the audit log stores the event as received.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .build());
    }

    @Override
    public void process(Exchange exchange) throws RejectedDeliveryException {
        String svixId = exchange.getProperty(SvixSignatureVerifier.SVIX_ID, String.class);
        Instant receivedAt = Instant.ofEpochMilli(exchange.getClock().getCreated());
        ClerkEvent event = parse(svixId, exchange.getMessage().getBody(String.class), receivedAt);
        exchange.setProperty(EVENT, event);
        exchange.setProperty(EVENT_TYPE, event.type());
    }

    public static ClerkEvent parse(String svixId, String payload, Instant receivedAt)
            throws RejectedDeliveryException {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new RejectedDeliveryException(RejectionReason.BODY_NOT_JSON, e);
        }
        if (!(root instanceof ObjectNode event)
                || !event.path("type").isTextual()
                || event.path("type").asText().isEmpty()
                || event.path("type").asText().length() > MAX_TYPE_LENGTH
                || !event.path("data").isObject()) {
            throw new RejectedDeliveryException(RejectionReason.NOT_AN_EVENT);
        }
        String type = event.get("type").asText();
        JsonNode data = event.get("data");
        String subjectId = ClerkEvent.textOrNull(data.path("id"));
        Instant eventAt = EpochTime.toInstant(event.get("timestamp"));
        Instant clock = null;
        RejectionReason incomplete = incompleteReason(type);
        if (incomplete != null) {
            clock = ClerkEvent.isDeletion(type) ? eventAt : EpochTime.toInstant(data.get("updated_at"));
            if (isBlank(subjectId) || clock == null) {
                throw new RejectedDeliveryException(incomplete);
            }
            // A membership row without its organization or user could never be cascaded (docs/how-it-works.md).
            if (ClerkEvent.isMembershipEvent(type)
                    && (isBlank(ClerkEvent.membershipOrganizationId(data))
                    || isBlank(ClerkEvent.membershipUserId(data)))) {
                throw new RejectedDeliveryException(incomplete);
            }
        }
        String userId = userId(type, data);
        return new ClerkEvent(svixId, type, subjectId, userId, eventAt, receivedAt, clock, event);
    }

    /** The rejection of a synced type that lacks what its sync needs; null for types that are only audited. */
    private static RejectionReason incompleteReason(String type) {
        if (ClerkEvent.isUserEvent(type)) {
            return RejectionReason.USER_EVENT_INCOMPLETE;
        }
        if (ClerkEvent.isOrganizationEvent(type)) {
            return RejectionReason.ORGANIZATION_EVENT_INCOMPLETE;
        }
        if (ClerkEvent.isMembershipEvent(type)) {
            return RejectionReason.MEMBERSHIP_EVENT_INCOMPLETE;
        }
        if (ClerkEvent.isBillingEvent(type)) {
            return RejectionReason.BILLING_EVENT_INCOMPLETE;
        }
        return null;
    }

    /**
     * The user an event is about (docs/organizations.md): erasure finds a deleted user's audit entries by it.
     * {@code data.id} of user events, {@code data.user_id} of session, email and sms events,
     * {@code data.public_user_data.user_id} of membership events, {@code data.payer.user_id} of billing
     * events (their payer's: §5 erasure then reaches their audit entries); otherwise none.
     */
    static String userId(String type, JsonNode data) {
        if (type.startsWith("user.")) {
            return ClerkEvent.textOrNull(data.path("id"));
        }
        if (type.startsWith("session.") || type.startsWith("email.") || type.startsWith("sms.")) {
            return ClerkEvent.textOrNull(data.path("user_id"));
        }
        if (type.startsWith("organizationMembership.")) {
            return ClerkEvent.membershipUserId(data);
        }
        if (ClerkEvent.isBillingEvent(type)) {
            return ClerkEvent.payerUserId(data);
        }
        return null;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isEmpty();
    }
}
