package dev.clerksync;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        int managementPort,
        long requestTimeoutMs,
        int headerTimeoutSeconds,
        int idleTimeoutSeconds,
        int maxConnectionsPerAddress,
        String trustedProxies,
        Set<String> stores,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        long databaseConnectionTimeoutMs,
        int writers,
        int maxBatch,
        int cascadeInlineLimit,
        String mongodbUri,
        String mongodbDatabase,
        long mongodbServerSelectionTimeoutMs,
        Path dataDir,
        String tlsCertificate,
        String tlsKey,
        String rabbitmqUri,
        String kafkaBootstrapServers,
        String changeEventsExchange,
        String changeEventsTopic,
        long changeEventsConfirmTimeoutMs,
        String adminToken,
        String clerkSecretKey,
        URI clerkApiUrl) {

    public static final String POSTGRES = "postgres";
    public static final String MONGODB = "mongodb";
    /** {@code SYNC_WRITERS}' default: chosen by the stores ({@link #writers}). */
    private static final String AUTO = "auto";

    static ClerkSyncSettings from(PropertiesComponent properties) {
        Set<String> stores = parseStores(value(properties, "clerk.sync.stores"));
        return new ClerkSyncSettings(
                valueOrFile(properties, "clerk.webhook.secret", "CLERK_WEBHOOK_SECRET"),
                Integer.parseInt(value(properties, "clerk.webhook.retry-after-seconds")),
                integer(properties, "clerk.webhook.rate-limit", "WEBHOOK_RATE_LIMIT"),
                integer(properties, "camel.server.port", "SERVER_PORT"),
                integer(properties, "camel.management.port", "MANAGEMENT_PORT"),
                integer(properties, "clerk.webhook.request-timeout-ms", "clerk.webhook.request-timeout-ms"),
                integer(properties, "clerk.webhook.header-timeout-seconds", "WEBHOOK_HEADER_TIMEOUT_SECONDS"),
                integer(properties, "clerk.webhook.idle-timeout-seconds", "WEBHOOK_IDLE_TIMEOUT_SECONDS"),
                integer(properties, "clerk.webhook.max-connections-per-address", "WEBHOOK_MAX_CONNECTIONS_PER_ADDRESS"),
                value(properties, "clerk.webhook.trusted-proxies"),
                stores,
                value(properties, "clerk.database.url"),
                value(properties, "clerk.database.user"),
                valueOrFile(properties, "clerk.database.password", "DATABASE_PASSWORD"),
                Integer.parseInt(value(properties, "clerk.database.pool-size")),
                Long.parseLong(value(properties, "clerk.database.connection-timeout-ms")),
                writers(properties, stores),
                atLeastOne(properties, "clerk.sync.max-batch", "SYNC_MAX_BATCH"),
                atLeastOne(properties, "clerk.sync.cascade-inline-limit", "SYNC_CASCADE_INLINE_LIMIT"),
                value(properties, "clerk.mongodb.uri"),
                value(properties, "clerk.mongodb.database"),
                Long.parseLong(value(properties, "clerk.mongodb.server-selection-timeout-ms")),
                Path.of(value(properties, "clerk.data.dir")),
                value(properties, "clerk.server.tls-cert"),
                value(properties, "clerk.server.tls-key"),
                value(properties, "clerk.change-events.rabbitmq-uri"),
                value(properties, "clerk.change-events.kafka-bootstrap-servers"),
                value(properties, "clerk.change-events.exchange"),
                value(properties, "clerk.change-events.topic"),
                Long.parseLong(value(properties, "clerk.change-events.confirm-timeout-ms")),
                valueOrFile(properties, "clerk.admin.token", "ADMIN_TOKEN"),
                clerkSecretKey(properties),
                ClerkApiSettings.apiUrl(value(properties, "clerk.api.url")));
    }

    /** Optional for the service (empty: none); when given, it must look like a secret key. */
    private static String clerkSecretKey(PropertiesComponent properties) {
        String key = valueOrFile(properties, "clerk.api.secret-key", "CLERK_SECRET_KEY");
        return key.isEmpty() ? key : ClerkApiSettings.checkedKey(key, "");
    }

    /** Never shows a secret: settings end up in logs and exception messages. */
    @Override
    public String toString() {
        return "ClerkSyncSettings[serverPort=" + serverPort + ", managementPort=" + managementPort + ", stores=" + stores
                + ", clerkApiUrl=" + clerkApiUrl + "]";
    }

    public boolean usesPostgres() {
        return stores.contains(POSTGRES);
    }

    /** Whether change events are published anywhere (docs/change-events.md). */
    public boolean publishesChangeEvents() {
        return !rabbitmqUri.isEmpty() || !kafkaBootstrapServers.isEmpty();
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

    /**
     * A secret given either directly or, for Kubernetes and Docker secrets, as the path of a file that
     * holds it ({@code NAME_FILE}, property {@code key + "-file"}). Messages name the variables only.
     */
    private static String valueOrFile(PropertiesComponent properties, String key, String variable) {
        String direct = value(properties, key);
        String file = value(properties, key + "-file");
        if (file.isEmpty()) {
            return direct;
        }
        if (!direct.isEmpty()) {
            throw new InvalidConfigurationException("both " + variable + " and " + variable + "_FILE are set: use one");
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            throw new InvalidConfigurationException(variable + "_FILE names a file that cannot be read: " + file);
        }
    }

    /**
     * {@code auto} (the default): two when PostgreSQL decides alone, one when MongoDB follows. Side
     * by side with the peer, two transactions at once made PostgreSQL alone 12-17 % faster (its
     * statements leave the service idle while they run), and both stores 9 % slower (with MongoDB
     * the two cores are full, and smaller batches cost more per delivery): bench/RESULTS.md, "How
     * many writers".
     */
    static int writers(PropertiesComponent properties, Set<String> stores) {
        if (value(properties, "clerk.sync.writers").equals(AUTO)) {
            return stores.equals(Set.of(POSTGRES)) ? 2 : 1;
        }
        return atLeastOne(properties, "clerk.sync.writers", "SYNC_WRITERS");
    }

    private static int atLeastOne(PropertiesComponent properties, String key, String variable) {
        int number = integer(properties, key, variable);
        if (number < 1) {
            throw new InvalidConfigurationException(variable + " must be 1 or more (it is " + number + ")");
        }
        return number;
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
