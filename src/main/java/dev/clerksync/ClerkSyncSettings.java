package dev.clerksync;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.spi.PropertiesComponent;

/**
 * The service's settings, read once at start-up from the properties (which take their values from
 * the environment variables of the contract; {@code application.properties} holds every default).
 */
public record ClerkSyncSettings(
        String webhookSecrets,
        int retryAfterSeconds,
        int rateLimit,
        int serverPort,
        long requestTimeoutMs,
        String trustedProxies,
        Set<String> stores,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        long databaseConnectionTimeoutMs,
        String mongodbUri,
        String mongodbDatabase,
        long mongodbServerSelectionTimeoutMs,
        Path dataDir) {

    public static final String POSTGRES = "postgres";
    public static final String MONGODB = "mongodb";

    static ClerkSyncSettings from(PropertiesComponent properties) {
        return new ClerkSyncSettings(
                value(properties, "clerk.webhook.secret"),
                Integer.parseInt(value(properties, "clerk.webhook.retry-after-seconds")),
                integer(properties, "clerk.webhook.rate-limit", "WEBHOOK_RATE_LIMIT"),
                integer(properties, "camel.server.port", "SERVER_PORT"),
                integer(properties, "clerk.webhook.request-timeout-ms", "clerk.webhook.request-timeout-ms"),
                value(properties, "clerk.webhook.trusted-proxies"),
                parseStores(value(properties, "clerk.sync.stores")),
                value(properties, "clerk.database.url"),
                value(properties, "clerk.database.user"),
                value(properties, "clerk.database.password"),
                Integer.parseInt(value(properties, "clerk.database.pool-size")),
                Long.parseLong(value(properties, "clerk.database.connection-timeout-ms")),
                value(properties, "clerk.mongodb.uri"),
                value(properties, "clerk.mongodb.database"),
                Long.parseLong(value(properties, "clerk.mongodb.server-selection-timeout-ms")),
                Path.of(value(properties, "clerk.data.dir")));
    }

    public boolean usesPostgres() {
        return stores.contains(POSTGRES);
    }

    public boolean usesMongodb() {
        return stores.contains(MONGODB);
    }

    /** {@code SYNC_STORES}: a comma-separated, non-empty subset of {@code postgres,mongodb}. */
    static Set<String> parseStores(String value) {
        Set<String> stores = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String store = part.trim().toLowerCase(Locale.ROOT);
            if (store.isEmpty()) {
                continue;
            }
            if (!store.equals(POSTGRES) && !store.equals(MONGODB)) {
                throw new InvalidConfigurationException(
                        "SYNC_STORES names an unknown store '" + store + "': use postgres, mongodb or both");
            }
            stores.add(store);
        }
        if (stores.isEmpty()) {
            throw new InvalidConfigurationException("SYNC_STORES is empty: use postgres, mongodb or both");
        }
        return stores;
    }

    private static int integer(PropertiesComponent properties, String key, String variable) {
        String text = value(properties, key);
        try {
            int number = Integer.parseInt(text);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigurationException(variable + " must be a whole number, 0 or more (it is '" + text + "')");
    }

    private static String value(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }
}
