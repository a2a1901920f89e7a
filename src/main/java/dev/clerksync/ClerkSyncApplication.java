package dev.clerksync;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.clerksync.backfill.BackfillMain;
import dev.clerksync.cli.SendTestCommand;
import dev.clerksync.mapping.RemapMain;
import org.apache.camel.main.Main;
import sun.misc.Signal;

/**
 * Starts clerk-sync. Run from the repository root, it reads {@code routes/} and
 * {@code application.properties} from disk so that the integration team can edit them
 * without a rebuild; run from anywhere else, it uses the copies packed in the jar.
 */
public final class ClerkSyncApplication {

    static final String USAGE = """
            usage: java -jar clerk-sync.jar                  run the service
                   java -jar clerk-sync.jar send-test ...    sign and send an example Clerk event (send-test --help)
                   java -jar clerk-sync.jar backfill ...     apply what Clerk's Backend API holds (backfill --help)
            """;

    private ClerkSyncApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("send-test")) {
            // A client of a running service (this one or a remote one): nothing of Camel is started.
            System.exit(SendTestCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out, System.err));
        }
        String logFormat = logFormat(System.getenv("LOG_FORMAT"));
        if (logFormat == null) {
            System.err.println("clerk-sync cannot start: LOG_FORMAT must be text or json");
            System.exit(2);
        }
        // Before anything logs: logback reads it when it configures itself.
        System.setProperty("clerk.log.format", logFormat);
        if (args.length > 0 && args[0].equals("backfill")) {
            System.setProperty("clerk.log.target", "System.err");
            System.exit(BackfillMain.run(List.of(args).subList(1, args.length), System.getenv(), Path.of(""), Map.of(),
                    System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("remap")) {
            System.setProperty("clerk.log.target", "System.err");
            System.exit(RemapMain.run(List.of(args).subList(1, args.length), Path.of(""), Map.of(), System.out, System.err));
        }
        if (args.length > 0) {
            // Camel Main would take the words for its own options and run anyway: refuse instead.
            System.err.print(USAGE);
            System.exit(2);
        }
        Main main = createMain(Path.of(""), Map.of());
        // SIGTERM is the normal way to stop a service (Kubernetes, systemd): Camel then stops taking
        // requests, finishes those in flight and closes the stores, and the process exits 0. Left to
        // the JVM, SIGTERM would end in the same shutdown but with exit status 143.
        Signal.handle(new Signal("TERM"), signal -> main.completed());
        try {
            System.exit(main.run(args));
        } catch (RuntimeException e) {
            InvalidConfigurationException invalid = InvalidConfigurationException.findIn(e);
            if (invalid == null) {
                throw e;
            }
            System.err.println("clerk-sync cannot start: " + invalid.getMessage());
            System.exit(2);
        }
    }

    /** {@code LOG_FORMAT}: text (the default) or json, in any case; null for anything else. */
    static String logFormat(String value) {
        String format = value == null || value.isBlank() ? "text" : value.trim().toLowerCase(Locale.ROOT);
        return format.equals("text") || format.equals("json") ? format : null;
    }

    /** The service exactly as production runs it ({@link WebhookConfiguration#service}); tests call this with their own overrides. */
    public static Main createMain(Path workingDir, Map<String, String> overrides) {
        return WebhookConfiguration.service(workingDir, overrides);
    }
}
