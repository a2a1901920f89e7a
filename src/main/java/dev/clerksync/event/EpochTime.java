package dev.clerksync.event;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** Clerk's times are epoch milliseconds; some examples carry seconds, so values below 10^12 are seconds. */
public final class EpochTime {

    static final long SECONDS_BELOW = 1_000_000_000_000L;

    private EpochTime() {
    }

    /** The instant of an integral JSON number, or null when the node is absent or not such a number. */
    public static Instant toInstant(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            return null;
        }
        long value = node.asLong();
        return value < SECONDS_BELOW ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    }
}
