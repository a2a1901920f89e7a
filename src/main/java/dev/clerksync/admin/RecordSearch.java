package dev.clerksync.admin;

import java.util.Locale;
import java.util.Map;

/**
 * Which users or organizations a list page holds: those that {@code q} finds (null: all), in
 * descending id order (Clerk ids sort by creation time, so the newest first), strictly after the id
 * {@code after} in that order when it is set, at most {@code limit}.
 *
 * <p>{@code q} finds a record by its exact id, or by a part of its email, username, first name,
 * last name or "first last" (users) or of its name or slug (organizations), whatever the case.
 */
public record RecordSearch(String q, String after, int limit) {

    /** From the query parameters of {@code GET /admin/api/users} and {@code /organizations}; IllegalArgumentException on a bad one. */
    public static RecordSearch fromQuery(Map<String, String> query) {
        return new RecordSearch(blankToNull(query.get("q")), blankToNull(query.get("after")),
                DeliveryFilter.limit(query.get("limit")));
    }

    /** {@code q} in lower case, for the case-insensitive match; null when there is none. */
    public String lowerQ() {
        return q == null ? null : q.toLowerCase(Locale.ROOT);
    }

    /** A LIKE pattern that finds {@code q} anywhere, its own {@code %}, {@code _} and {@code \} escaped; null without q. */
    public String likePattern() {
        if (q == null) {
            return null;
        }
        String escaped = lowerQ().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
