package dev.clerksync.admin;

import java.util.Map;

/**
 * Which audit entries a deliveries page holds: each non-null field must match ({@code about}
 * matches the subject or the user, for a record's deliveries), strictly before {@code before} when
 * it is set, at most {@code limit}.
 */
public record DeliveryFilter(String subject, String user, String type, String outcome, String about,
        DeliveryCursor before, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** From the query parameters of {@code GET /admin/api/deliveries}; IllegalArgumentException on a bad one. */
    public static DeliveryFilter fromQuery(Map<String, String> query) {
        int limit = limit(query.get("limit"));
        String before = blankToNull(query.get("before"));
        return new DeliveryFilter(blankToNull(query.get("subject")), blankToNull(query.get("user")),
                blankToNull(query.get("type")), blankToNull(query.get("outcome")), null,
                before == null ? null : DeliveryCursor.decode(before), limit);
    }

    /** A {@code limit} parameter: {@link #DEFAULT_LIMIT} when absent; IllegalArgumentException outside 1 to {@link #MAX_LIMIT}. */
    static int limit(String text) {
        String limitText = blankToNull(text);
        if (limitText == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** Whether {@code about} is the only condition: a record's first page of deliveries. */
    public boolean isAboutOnly() {
        return subject == null && user == null && type == null && outcome == null && before == null;
    }

    /** A record's deliveries: those about it as subject or as user, newest first. */
    public static DeliveryFilter about(String id, int limit) {
        return new DeliveryFilter(null, null, null, null, id, null, limit);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
