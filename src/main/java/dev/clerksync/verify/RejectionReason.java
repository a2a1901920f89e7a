package dev.clerksync.verify;

import java.util.Locale;

/**
 * Why a delivery was turned away before it reached a store, with the HTTP status and the fixed,
 * public error text the sender gets. The texts never contain anything taken from the request.
 * {@link #label()} is the one name of a reason: the log line's {@code reason=} and the
 * {@code reason} label of {@code clerk_sync_rejections_total} both use it.
 */
public enum RejectionReason {
    MISSING_HEADERS(400, "missing svix headers"),
    MALFORMED_HEADERS(400, "malformed svix headers"),
    TIMESTAMP_TOO_OLD(401, "invalid signature"),
    TIMESTAMP_TOO_NEW(401, "invalid signature"),
    SIGNATURE_MISMATCH(401, "invalid signature"),
    BODY_NOT_UTF8(400, "body is not valid UTF-8"),
    BODY_NOT_JSON(400, "body is not valid JSON"),
    NOT_AN_EVENT(400, "body is not a Clerk event: it needs a string 'type' and an object 'data'"),
    USER_EVENT_INCOMPLETE(400, "user event without data.id or an ordering timestamp"),
    ORGANIZATION_EVENT_INCOMPLETE(400, "organization event without data.id or an ordering timestamp "
            + "(data.updated_at, or the envelope timestamp of organization.deleted)"),
    MEMBERSHIP_EVENT_INCOMPLETE(400, "organization membership event without data.id, data.organization.id, "
            + "data.public_user_data.user_id or an ordering timestamp (data.updated_at, or the envelope "
            + "timestamp of organizationMembership.deleted)"),
    BILLING_EVENT_INCOMPLETE(400, "billing event without data.id or data.updated_at"),
    BODY_TOO_LARGE(413, "body too large"),
    METHOD_NOT_ALLOWED(405, "method not allowed"),
    RATE_LIMITED(429, "rate limit exceeded");

    private final int status;
    private final String publicMessage;

    RejectionReason(int status, String publicMessage) {
        this.status = status;
        this.publicMessage = publicMessage;
    }

    public int status() {
        return status;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /** The reason in logs and metrics: {@code signature_mismatch}, {@code body_not_json}, … */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
