package dev.clerksync.backfill;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.clerksync.ClerkApiSettings;
import dev.clerksync.InvalidConfigurationException;

/**
 * What a backfill run was asked to do ({@link BackfillCommand}: {@code [--users] [--organizations]
 * [--billing] [--reconcile [--dry-run]] [--resume] [--rate N]}) and the Clerk settings from the
 * environment.
 *
 * @param users         read every user
 * @param organizations read every organization and its memberships
 * @param billing       read every subscription item and each payer's subscription (CONTRACT §12)
 * @param reconcile     after a complete pass, delete what Clerk no longer has
 * @param dryRun        with reconcile: read Clerk, report the drift, write nothing
 * @param resume        continue the last unfinished run
 * @param rate          requests per second at most; 0 = no limit
 * @param secretKey     the Clerk secret key {@code sk_…}; never printed ({@link #toString()} hides it)
 * @param apiUrl        the Backend API base URL, without a trailing slash
 */
public record BackfillOptions(boolean users, boolean organizations, boolean billing, boolean reconcile, boolean dryRun, boolean resume,
                              int rate, String secretKey, URI apiUrl) {

    public static final int DEFAULT_RATE = 20;
    /**
     * Clerk allows 1,000 requests per 10 s per production key (100 in development): above 100/s a
     * run would only collect 429s, so a larger value is taken for a typo.
     */
    public static final int MAX_RATE = 100;

    static final String KEY_NOT_SET = "CLERK_SECRET_KEY is not set: backfill needs a Clerk secret key (sk_…)";

    /** The Clerk secret key of {@code CLERK_SECRET_KEY}, or of the file {@code CLERK_SECRET_KEY_FILE} names. */
    static String secretKey(Map<String, String> env) {
        String inline = blankToNull(env.get("CLERK_SECRET_KEY"));
        String file = blankToNull(env.get("CLERK_SECRET_KEY_FILE"));
        if (inline != null && file != null) {
            throw new InvalidConfigurationException("CLERK_SECRET_KEY and CLERK_SECRET_KEY_FILE are both set: set one of them");
        }
        if (file != null) {
            String key;
            try {
                key = Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                // The path is the operator's own setting; the content is never shown.
                throw new InvalidConfigurationException("CLERK_SECRET_KEY_FILE cannot be read: " + file);
            }
            return ClerkApiSettings.checkedKey(key, " (read from CLERK_SECRET_KEY_FILE)");
        }
        if (inline == null) {
            throw new InvalidConfigurationException(KEY_NOT_SET);
        }
        return ClerkApiSettings.checkedKey(inline.strip(), "");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Never shows the key: options end up in logs and exception messages. */
    @Override
    public String toString() {
        return "BackfillOptions[users=" + users + ", organizations=" + organizations + ", billing=" + billing + ", reconcile=" + reconcile
                + ", dryRun=" + dryRun + ", resume=" + resume + ", rate=" + rate + ", apiUrl=" + apiUrl + "]";
    }
}
