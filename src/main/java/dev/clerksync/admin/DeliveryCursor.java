package dev.clerksync.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A position in the deliveries, newest first: an entry's {@code received_at} and, because many
 * entries can share one millisecond, its {@code event_id} as the tie-breaker. "Before" a cursor means
 * strictly after it in that order, so consecutive pages neither skip nor repeat an entry. Sent as an
 * opaque base64url string so that clients do not build their own.
 */
public record DeliveryCursor(Instant receivedAt, String eventId) {

    public String encode() {
        String plain = receivedAt.toString() + "|" + eventId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a {@code before} parameter names; IllegalArgumentException when it is not one. */
    public static DeliveryCursor decode(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = plain.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new DeliveryCursor(Instant.parse(plain.substring(0, bar)), plain.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("before is not a cursor this service gave", e);
        }
    }

    /** Newest first: larger times come first, and within one time larger ids. */
    public int compareNewestFirst(DeliveryCursor other) {
        int byTime = other.receivedAt.compareTo(receivedAt);
        return byTime != 0 ? byTime : other.eventId.compareTo(eventId);
    }
}
