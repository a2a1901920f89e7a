package dev.clerksync.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.clerksync.ClerkSyncApplication;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The service as production builds it (the real routes/ and application.properties of this
 * repository), started in this JVM on free ports, with the given settings overriding the
 * environment.
 */
public final class RunningService implements AutoCloseable {

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final Main main;
    private final int port;
    private final int managementPort;

    private RunningService(Main main, int port, int managementPort) {
        this.main = main;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts on both test stores, with {@link #SECRET}. */
    public static RunningService start(PostgresDatabase postgres, MongoTestServer mongo, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(storeSettings(postgres, mongo));
        settings.putAll(extra);
        return start(settings);
    }

    public static Map<String, String> storeSettings(PostgresDatabase postgres, MongoTestServer mongo) {
        Map<String, String> settings = new HashMap<>();
        settings.put("clerk.webhook.secret", SECRET);
        if (postgres != null) {
            settings.put("clerk.database.url", postgres.url());
            settings.put("clerk.database.user", PostgresDatabase.user());
            settings.put("clerk.database.password", PostgresDatabase.password());
        }
        if (mongo != null) {
            settings.put("clerk.mongodb.uri", mongo.uri());
            settings.put("clerk.mongodb.database", mongo.databaseName());
        }
        String stores = postgres != null && mongo != null ? "postgres,mongodb" : postgres != null ? "postgres" : "mongodb";
        settings.put("clerk.sync.stores", stores);
        return settings;
    }

    public static RunningService start(Map<String, String> settings) {
        return startFrom(Path.of(""), settings);
    }

    /** Starts with the routes and properties of another project directory (an edited copy, say). */
    public static RunningService startFrom(Path project, Map<String, String> settings) {
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put("camel.server.port", Integer.toString(port));
        overrides.put("camel.management.port", Integer.toString(managementPort));
        overrides.putIfAbsent("camel.server.host", "127.0.0.1");
        overrides.putIfAbsent("camel.management.host", "127.0.0.1");
        Main main = ClerkSyncApplication.createMain(project, overrides);
        try {
            main.start();
        } catch (RuntimeException e) {
            main.stop();
            throw e;
        }
        return new RunningService(main, port, managementPort);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The webhook port's URL when the service was started with a certificate and key. */
    public String httpsBaseUrl() {
        return "https://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public WebhookClient client() {
        return new WebhookClient(baseUrl(), SECRET);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
