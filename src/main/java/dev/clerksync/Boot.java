package dev.clerksync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * Builds the Camel Main of a command: the properties ({@code application.properties} from the
 * working directory when it holds {@code routes/} too, else the copies packed in the jar), the
 * overrides, and the configurations the command needs — the stores for every command, the webhook
 * for the service alone.
 */
public final class Boot {

    private Boot() {
    }

    /**
     * The service, exactly as production runs it: the stores, the webhook, every route.
     *
     * @param workingDir where to look for {@code routes/} and {@code application.properties}
     * @param overrides  property values that win over the environment and the properties file
     */
    public static Main service(Path workingDir, Map<String, String> overrides) {
        Main main = new Main();
        String base = configure(main, workingDir, overrides);
        main.configure().withRoutesIncludePattern(base + "routes/*.camel.yaml");
        StoresConfiguration stores = new StoresConfiguration(main.configure(), null);
        WebhookConfiguration webhook = new WebhookConfiguration(main.configure(), base, stores);
        main.configure().addConfiguration(webhook.checks());
        main.configure().addConfiguration(stores);
        main.configure().addConfiguration(webhook);
        return main;
    }

    /** A command's Camel Main and its stores, whose writers it calls itself. */
    public record StoresOnly(Main main, StoresConfiguration stores) {
    }

    /**
     * A command that writes the stores itself through their writers, with no route, no webhook and
     * no management port, so that it runs beside a running service.
     *
     * @param relationalRequiredBy null, or why the command cannot run without the relational store
     */
    public static StoresOnly storesOnly(Path workingDir, Map<String, String> overrides, String relationalRequiredBy) {
        Main main = new Main();
        configure(main, workingDir, overrides);
        main.configure().setRoutesCollectorEnabled(false);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        StoresConfiguration stores = new StoresConfiguration(main.configure(), relationalRequiredBy);
        main.configure().addConfiguration(stores);
        return new StoresOnly(main, stores);
    }

    /** Reads the properties and applies the overrides; the base the files were found under. */
    private static String configure(Main main, Path workingDir, Map<String, String> overrides) {
        boolean fromDisk = Files.isDirectory(workingDir.resolve("routes"))
                && Files.isRegularFile(workingDir.resolve("application.properties"));
        String base = fromDisk ? "file:" + workingDir.toAbsolutePath().normalize() + "/" : "classpath:";
        String locations = base + "application.properties";
        if (fromDisk && "true".equalsIgnoreCase(overrides.getOrDefault("clerk.dev", System.getenv("CLERK_SYNC_DEV")))) {
            // Development mode: routes/*.camel.yaml are reloaded when they change.
            locations += "," + base + "application-dev.properties";
        }
        main.setPropertyPlaceholderLocations(locations);
        overrides.forEach(main::addOverrideProperty);
        return base;
    }

    /**
     * Leaves a route file out, whatever the location form Camel gives it: {@code
     * file:/…/routes/x.camel.yaml} from the repository root, a bare {@code routes/x.camel.yaml} for
     * the copies packed in the jar.
     */
    static void excludeRoutes(MainConfigurationProperties main, String routeFile) {
        String pattern = "**/" + routeFile;
        String before = main.getRoutesExcludePattern();
        main.setRoutesExcludePattern(before == null || before.isEmpty() ? pattern : before + "," + pattern);
    }
}
