package dev.clerksync;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new user needs to know once the service is up, in a few lines instead of Camel's start-up
 * report (logback.xml quiets that): where to send webhooks, which stores it writes, where health,
 * metrics and the admin view are (or how to turn the admin view on), and the settings in force.
 * Logged once the context has fully started, when the ports take requests; never a secret.
 */
final class StartupSummary implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSummary.class);

    private final ClerkSyncSettings settings;
    private final boolean https;
    private final String configSource;
    private final int secrets;

    StartupSummary(ClerkSyncSettings settings, boolean https, String configSource, int secrets) {
        this.settings = settings;
        this.https = https;
        this.configSource = configSource;
        this.secrets = secrets;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the webhook port takes requests only once the context has fully started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        lines(context).forEach(LOG::info);
    }

    List<String> lines(CamelContext context) {
        String management = "http://localhost:" + settings.managementPort();
        return List.of(
                "clerk-sync " + version() + " is up; send Clerk webhooks to "
                        + String.join(" or ", webhookUrls(context)),
                "stores: " + String.join(", ", stores()),
                "health " + management + "/observe/health, metrics " + management + "/observe/metrics; "
                        + (settings.adminToken().isEmpty()
                                ? "admin view off (set ADMIN_TOKEN to turn it on at " + management + "/admin/)"
                                : "admin view " + management + "/admin/ (password: ADMIN_TOKEN)"),
                "settings from " + configSource + ": " + secrets + " webhook secret(s); rate limit "
                        + (settings.rateLimit() == 0 ? "off" : settings.rateLimit() + "/s per client")
                        + "; header timeout " + seconds(settings.headerTimeoutSeconds())
                        + ", idle timeout " + seconds(settings.idleTimeoutSeconds())
                        + ", connections per address "
                        + (settings.maxConnectionsPerAddress() == 0 ? "unlimited" : settings.maxConnectionsPerAddress()));
    }

    /** The paths of routes/webhook.camel.yaml, read from its platform-http endpoints. */
    private List<String> webhookUrls(CamelContext context) {
        String base = (https ? "https" : "http") + "://localhost:" + settings.serverPort();
        List<String> urls = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http) {
                urls.add(base + http.getPath());
            }
        }
        return urls;
    }

    private List<String> stores() {
        List<String> stores = new ArrayList<>();
        String embedded = " under " + settings.dataDir().toAbsolutePath().normalize() + "/";
        if (settings.usesPostgres()) {
            stores.add(settings.databaseUrl().isEmpty()
                    ? "embedded SQL database (H2)" + embedded + " (set DATABASE_URL for PostgreSQL)"
                    : "PostgreSQL " + DatabaseSetupFailures.withoutCredentials(settings.databaseUrl()));
        }
        if (settings.usesMongodb()) {
            stores.add(settings.mongodbUri().isEmpty()
                    ? "embedded MongoDB" + embedded + " (set MONGODB_URI for a MongoDB server)"
                    : "MongoDB " + DatabaseSetupFailures.withoutCredentials(settings.mongodbUri())
                            + " database " + settings.mongodbDatabase());
        }
        return stores;
    }

    private static String seconds(int seconds) {
        return seconds == 0 ? "off" : seconds + " s";
    }

    /** The version the packaged jar's manifest carries (the pom's); classes run from a build directory have none. */
    static String version() {
        String version = StartupSummary.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }
}
