package dev.clerksync.verify;

/**
 * Why a delivery was turned away before it reached a store, with the HTTP status and the fixed,
 * public error text the sender gets. The texts never contain anything taken from the request.
 */
public enum RejectionReason {
    MISSING_HEADERS(400, "missing svix headers", "headers"),
    MALFORMED_HEADERS(400, "malformed svix headers", "headers"),
    TIMESTAMP_TOO_OLD(401, "invalid signature", "timestamp"),
    TIMESTAMP_TOO_NEW(401, "invalid signature", "timestamp"),
    SIGNATURE_MISMATCH(401, "invalid signature", "signature"),
    BODY_NOT_UTF8(400, "body is not valid UTF-8", "body"),
    BODY_NOT_JSON(400, "body is not valid JSON", "body"),
    NOT_AN_EVENT(400, "body is not a Clerk event: it needs a string 'type' and an object 'data'", "body"),
    USER_EVENT_INCOMPLETE(400, "user event without data.id or an ordering timestamp", "body"),
    ORGANIZATION_EVENT_INCOMPLETE(400, "organization event without data.id or an ordering timestamp "
            + "(data.updated_at, or the envelope timestamp of organization.deleted)", "body"),
    MEMBERSHIP_EVENT_INCOMPLETE(400, "organization membership event without data.id, data.organization.id, "
            + "data.public_user_data.user_id or an ordering timestamp (data.updated_at, or the envelope "
            + "timestamp of organizationMembership.deleted)", "body"),
    RATE_LIMITED(429, "rate limit exceeded", "rate");

    private final int status;
    private final String publicMessage;
    private final String category;

    RejectionReason(int status, String publicMessage, String category) {
        this.status = status;
        this.publicMessage = publicMessage;
        this.category = category;
    }

    public int status() {
        return status;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /** The coarse reason used for metrics: signature, timestamp, headers, body or rate. */
    public String category() {
        return category;
    }
}
