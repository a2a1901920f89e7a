package dev.clerksync.backfill;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.clerksync.ClerkApiSettings;
import dev.clerksync.InvalidConfigurationException;

/**
 * What a backfill run was asked to do: {@code [--users] [--organizations] [--billing]
 * [--reconcile [--dry-run]] [--resume] [--rate N]} and the Clerk settings from the environment. None
 * of {@code --users}, {@code --organizations} and {@code --billing} means all three.
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

    /**
     * Reads the arguments after {@code backfill} and the environment.
     *
     * @throws BackfillUsageException        an unknown option or a bad value (print the usage, exit 2)
     * @throws InvalidConfigurationException a missing or malformed setting (print the message, exit 2)
     */
    public static BackfillOptions parse(List<String> args, Map<String, String> env) {
        boolean users = false;
        boolean organizations = false;
        boolean billing = false;
        boolean reconcile = false;
        boolean dryRun = false;
        boolean resume = false;
        int rate = DEFAULT_RATE;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--users" -> users = true;
                case "--organizations" -> organizations = true;
                case "--billing" -> billing = true;
                case "--reconcile" -> reconcile = true;
                case "--dry-run" -> dryRun = true;
                case "--resume" -> resume = true;
                case "--rate" -> {
                    if (i + 1 >= args.size()) {
                        throw new BackfillUsageException("--rate needs a number of requests per second");
                    }
                    rate = rate(args.get(++i));
                }
                default -> {
                    if (arg.startsWith("--rate=")) {
                        rate = rate(arg.substring("--rate=".length()));
                    } else {
                        throw new BackfillUsageException("unknown option '" + arg + "'");
                    }
                }
            }
        }
        if (dryRun && !reconcile) {
            throw new BackfillUsageException("--dry-run goes with --reconcile: it reports what a reconcile pass would repair");
        }
        if (dryRun && resume) {
            // A dry run keeps no checkpoint, so there is nothing it could continue.
            throw new BackfillUsageException("--dry-run cannot --resume: a dry run keeps no checkpoint, run it again instead");
        }
        if (!users && !organizations && !billing) {
            users = true;
            organizations = true;
            billing = true;
        }
        return new BackfillOptions(users, organizations, billing, reconcile, dryRun, resume, rate, secretKey(env),
                ClerkApiSettings.apiUrl(env.get("CLERK_API_URL")));
    }

    private static int rate(String value) {
        int rate;
        try {
            rate = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new BackfillUsageException("--rate must be a whole number of requests per second, 0 to " + MAX_RATE);
        }
        if (rate < 0 || rate > MAX_RATE) {
            throw new BackfillUsageException("--rate must be a whole number of requests per second, 0 to " + MAX_RATE);
        }
        return rate;
    }

    private static String secretKey(Map<String, String> env) {
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
