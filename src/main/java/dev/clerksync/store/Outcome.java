package dev.clerksync.store;

import java.util.Locale;

/**
 * What a delivery came to (docs/how-it-works.md): the outcome a store decides and
 * both audit logs record ({@link #APPLIED}, {@link #STALE}, {@link #IGNORED}), or the answer of every
 * other request for a svix-id already completed ({@link #DUPLICATE}, never recorded). The exchange
 * property {@value SyncConstants#OUTCOME} and the stores hold {@link #value()}, which the routes
 * compare as text.
 */
public enum Outcome {

    APPLIED,
    STALE,
    IGNORED,
    DUPLICATE;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** As the stores, the answers and the routes write it: {@code applied}, {@code stale}… */
    public String value() {
        return value;
    }

    /** Whether a stored or exchange value is this outcome (null is none). */
    public boolean is(String stored) {
        return value.equals(stored);
    }

    /** The outcomes a store records, in the order the admin view lists them. */
    public static final Outcome[] RECORDED = {APPLIED, STALE, IGNORED};

    @Override
    public String toString() {
        return value;
    }
}
