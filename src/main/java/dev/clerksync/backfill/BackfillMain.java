package dev.clerksync.backfill;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.clerksync.ClerkSyncApplication;
import dev.clerksync.ClerkSyncConfiguration;
import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.store.RelationalDecider;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * {@code java -jar clerk-sync.jar backfill …}: starts the stores and their routes as the service
 * does (same settings, same migrations; no webhook endpoint, no management port, so it runs beside
 * a running service), runs one backfill, prints the JSON summary last on standard output.
 */
public final class BackfillMain {

    private BackfillMain() {
    }

    /** Runs a backfill; the exit status (see {@link BackfillCommand#USAGE}). */
    public static int run(List<String> args, Map<String, String> env, Path workingDir, Map<String, String> overrides,
                          PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(BackfillCommand.USAGE);
            return BackfillCommand.DONE;
        }
        BackfillOptions options;
        try {
            options = BackfillCommand.parse(args, env);
        } catch (BackfillUsageException e) {
            err.println("backfill: " + e.getMessage());
            err.print(BackfillCommand.USAGE);
            return BackfillCommand.USAGE_OR_CONFIGURATION;
        } catch (InvalidConfigurationException e) {
            err.println("backfill cannot start: " + e.getMessage());
            return BackfillCommand.USAGE_OR_CONFIGURATION;
        }
        Main main = ClerkSyncApplication.createMain(workingDir, backfillSettings(overrides));
        try {
            main.start();
        } catch (RuntimeException e) {
            main.stop();
            InvalidConfigurationException invalid = ClerkSyncApplication.findInvalidConfiguration(e);
            // Camel's start-up messages name routes, endpoints and settings, never a secret or a payload.
            err.println("backfill cannot start: " + (invalid != null ? invalid.getMessage() : e.getMessage()));
            return invalid != null ? BackfillCommand.USAGE_OR_CONFIGURATION : BackfillCommand.STOPPED;
        }
        String summary;
        int status;
        try {
            Outcome outcome = run(options, main.getCamelContext(), err);
            summary = outcome.summary();
            status = outcome.status();
        } finally {
            main.stop();
        }
        // Last, after the stores closed (and logged it): the summary is the last line on standard output.
        out.println(summary);
        out.flush();
        return status;
    }

    private record Outcome(int status, String summary) {
    }

    private static Outcome run(BackfillOptions options, CamelContext context, PrintStream err) {
        ClerkApi api = ClerkApi.of(options);
        BackfillSummary summary = new BackfillSummary();
        String follower = context.getPropertiesComponent().resolveProperty("clerk.sync.follower").orElse("none");
        BackfillStores stores = new BackfillStores(
                context.getRegistry().lookupByNameAndType("clerkSyncDataSource", DataSource.class),
                context.getRegistry().lookupByNameAndType("relationalDecider", RelationalDecider.class),
                context.getPropertiesComponent().resolveProperty("clerk.sql.dialect").orElseThrow(),
                context, "none".equals(follower) ? null : "direct:" + follower + "-follow");
        Backfill backfill = new Backfill(options, api, stores, summary, err);
        int status;
        try (BackfillProgress progress = BackfillProgress.start(summary, api, err)) {
            backfill.run();
            progress.report();
            status = BackfillCommand.DONE;
        } catch (ClerkKeyRejectedException e) {
            err.println("backfill stopped: " + e.getMessage());
            status = BackfillCommand.USAGE_OR_CONFIGURATION;
        } catch (Backfill.NothingToResumeException e) {
            err.println("backfill: " + e.getMessage());
            status = BackfillCommand.USAGE_OR_CONFIGURATION;
        } catch (ClerkApiException e) {
            err.println("backfill stopped: " + e.getMessage() + "; " + again(backfill));
            status = BackfillCommand.STOPPED;
        } catch (BackfillStoreException | SQLException e) {
            err.println("backfill stopped on a store error (" + rootCause(e).getClass().getSimpleName() + "); "
                    + again(backfill));
            status = BackfillCommand.STOPPED;
        }
        return new Outcome(status, summary.toJson(backfill.runId(), api.requests(), api.rateLimited(), backfill.elapsed()));
    }

    private static String again(Backfill backfill) {
        return backfill.resumable() ? "run it again with --resume to continue where it stopped" : "run it again once that is fixed";
    }

    private static Map<String, String> backfillSettings(Map<String, String> overrides) {
        Map<String, String> settings = new java.util.HashMap<>(overrides);
        settings.put(ClerkSyncConfiguration.BACKFILL, "true");
        settings.put("camel.server.enabled", "false");
        settings.put("camel.management.enabled", "false");
        return settings;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
