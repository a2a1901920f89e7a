package dev.clerksync.backfill;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clerksync.InvalidConfigurationException;
import org.apache.camel.spi.PropertiesComponent;

/**
 * {@code RECONCILE_EVERY} (e.g. {@code 24h}, {@code 90m}): how often the service runs the reconcile
 * pass itself, and the Clerk settings that pass needs ({@code CLERK_SECRET_KEY} or its file,
 * {@code CLERK_API_URL}), read and checked before any store opens.
 *
 * @param every   the time from the start of one reconcile to the start of the next
 * @param options the pass: {@code backfill --users --organizations --reconcile} with the service's Clerk settings
 */
public record ReconcileSchedule(Duration every, BackfillOptions options) {

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,8})([smhd])");
    /** The timer asks at least this often whether a pass is due, so that a shorter interval is kept to. */
    private static final Duration LONGEST_CHECK = Duration.ofMinutes(1);

    /**
     * The schedule, or empty when {@code RECONCILE_EVERY} is unset.
     *
     * @param relational whether the relational store is configured: the pass needs it
     * @throws InvalidConfigurationException a malformed interval, a missing or malformed key or URL
     */
    public static Optional<ReconcileSchedule> from(PropertiesComponent properties, boolean relational) {
        String every = value(properties, "clerk.reconcile.every");
        if (every.isEmpty()) {
            return Optional.empty();
        }
        Duration interval = parse(every);
        if (!relational) {
            throw new InvalidConfigurationException("RECONCILE_EVERY needs the relational store (the reconcile pass "
                    + "decides each page in one transaction): SYNC_STORES must name postgres");
        }
        Map<String, String> env = new HashMap<>();
        env.put("CLERK_SECRET_KEY", value(properties, "clerk.api.secret-key"));
        env.put("CLERK_SECRET_KEY_FILE", value(properties, "clerk.api.secret-key-file"));
        env.put("CLERK_API_URL", value(properties, "clerk.api.url"));
        if (env.get("CLERK_SECRET_KEY").isEmpty() && env.get("CLERK_SECRET_KEY_FILE").isEmpty()) {
            throw new InvalidConfigurationException("RECONCILE_EVERY is set but CLERK_SECRET_KEY is not: "
                    + "the scheduled reconcile reads Clerk with a secret key (sk_…)");
        }
        // Users and organizations only: a reconcile pass does not cover billing (nothing deletes a billing record).
        return Optional.of(new ReconcileSchedule(interval,
                BackfillCommand.parse(List.of("--users", "--organizations", "--reconcile"), env)));
    }

    /** A whole number and a unit: {@code 30s}, {@code 90m}, {@code 24h}, {@code 7d}. */
    static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new InvalidConfigurationException("RECONCILE_EVERY must be a whole number and a unit (s, m, h or d), "
                    + "such as 24h or 90m (it is '" + text + "')");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** How often the timer asks whether a pass is due: the interval, at most a minute. */
    public Duration checkEvery() {
        return every.compareTo(LONGEST_CHECK) < 0 ? every : LONGEST_CHECK;
    }

    private static String value(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }
}
