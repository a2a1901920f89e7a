package dev.clerksync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.clerksync.backfill.BackfillMain;
import dev.clerksync.cli.SendTestCommand;
import dev.clerksync.remap.RemapMain;
import dev.clerksync.resync.ResyncMain;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import sun.misc.Signal;

/**
 * Starts clerk-sync. Run from the repository root, it reads {@code routes/} and
 * {@code application.properties} from disk so that the integration team can edit them
 * without a rebuild; run from anywhere else, it uses the copies packed in the jar.
 */
public final class ClerkSyncApplication {

    static final String USAGE = """
            usage: java -jar clerk-sync.jar [COMMAND]

            Keeps an application's PostgreSQL and MongoDB in step with Clerk's webhooks.

            commands:
              (none)              run the service: webhooks on SERVER_PORT at /api/webhooks/clerk and
                                  /api/v1/auth/webhook; health, metrics and the admin view on MANAGEMENT_PORT
              send-test ...       sign and send an example Clerk event, or a file of your own (send-test --help)
              backfill ...        apply what Clerk's Backend API holds (backfill --help)
              remap [--mapping ID]   rebuild the mapped tables and collections from clerk-sync's own
              resync              rebuild MongoDB from the relational store: after adding MongoDB to a
                                  running deployment, or to recover a lost one (resync --help)
              --help, -h, help    print this text
              --version           print the version

            environment (application.properties holds every default):
              CLERK_WEBHOOK_SECRET      the endpoint's signing secret whsec_..., or several separated by spaces or
                                        commas (a rotation); required. CLERK_WEBHOOK_SECRET_FILE: a file holding it
              DATABASE_URL              PostgreSQL, e.g. jdbc:postgresql://localhost:5432/clerk_sync;
                                        unset: an embedded SQL database under ./data
              DATABASE_USER, DATABASE_PASSWORD   its credentials (DATABASE_PASSWORD_FILE: a file holding it)
              DATABASE_POOL_SIZE        connections to it (10)
              MONGODB_URI               e.g. mongodb://localhost:27017; unset: an embedded MongoDB under ./data
              MONGODB_DATABASE          its database (clerk_sync)
              SYNC_STORES               the stores to write: postgres,mongodb (both), or one of them
              CLERK_SYNC_DATA_DIR       where the embedded stores live (data)
              MAPPINGS_DIR              the mapping files that keep your own tables in step (mappings)
              SYNC_CASCADE_INLINE_LIMIT   a deletion's cascade larger than this continues after its answer (1000)
              SYNC_MAX_BATCH, SYNC_WRITERS   deliveries per group commit (64); writes at once (1)
              SERVER_PORT               the webhook port (8080)
              SERVER_TLS_CERT, SERVER_TLS_KEY   PEM files: HTTPS on the webhook port; unset: plain HTTP
              WEBHOOK_MAX_BODY_BYTES    larger bodies are answered 413 (1048576)
              WEBHOOK_RATE_LIMIT        requests per second per client address (500); 0: off
              TRUSTED_PROXIES           proxies whose X-Forwarded-For names the client
              WEBHOOK_HEADER_TIMEOUT_SECONDS, WEBHOOK_IDLE_TIMEOUT_SECONDS, WEBHOOK_MAX_CONNECTIONS_PER_ADDRESS
                                        slow, idle and crowding clients (10, 75, 256); 0: off
              MANAGEMENT_PORT           health (/observe/health), metrics (/observe/metrics) and admin view (9876)
              ADMIN_TOKEN               turns the admin view on at http://localhost:MANAGEMENT_PORT/admin/ and is
                                        its password; unset: no admin view. ADMIN_TOKEN_FILE: a file holding it
              RABBITMQ_URI              amqp://user:password@host:5672: publish change events there
              KAFKA_BOOTSTRAP_SERVERS   host:9092,...: publish change events there
              CHANGE_EVENTS_EXCHANGE, CHANGE_EVENTS_TOPIC   their RabbitMQ exchange, Kafka topic (clerk-sync.changes)
              CLERK_SECRET_KEY          Clerk Backend API key sk_..., for backfill, RECONCILE_EVERY and the admin
                                        view's Svix portal button (CLERK_SECRET_KEY_FILE: a file holding it)
              CLERK_API_URL             Clerk Backend API base URL, for all three (https://api.clerk.com/v1)
              RECONCILE_EVERY           e.g. 24h or 90m: the service runs backfill --reconcile itself that often, on one
                                        replica at a time (needs CLERK_SECRET_KEY); unset: never
              LOG_FORMAT                text or json, one line per event on standard output (text)
              OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT   turn traces on (otlp; http://collector:4318);
                                        unset: off. OTEL_SERVICE_NAME (clerk-sync) and the SDK's other OTEL_*

            Exit status: 0 after SIGTERM or SIGINT (deliveries in flight finish first), 2 for a usage or
            configuration error, 1 otherwise.
            """;

    private ClerkSyncApplication() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        String command = arguments.isEmpty() ? null : arguments.get(0);
        List<String> rest = arguments.isEmpty() ? List.of() : arguments.subList(1, arguments.size());
        if ("send-test".equals(command)) {
            // A client of a running service (this one or a remote one): nothing of Camel is started.
            System.exit(SendTestCommand.run(rest, System.getenv(), System.out, System.err));
        }
        if (command != null && !"backfill".equals(command) && !"remap".equals(command)
                && !"resync".equals(command)) {
            // Camel Main would take other words for its own options and run anyway: answer them here.
            System.exit(answer(command, System.out, System.err));
        }
        String logFormat = logFormat(System.getenv("LOG_FORMAT"));
        if (logFormat == null) {
            System.err.println("clerk-sync cannot start: LOG_FORMAT must be text or json");
            System.exit(2);
        }
        // Before anything logs: logback reads it when it configures itself.
        System.setProperty("clerk.log.format", logFormat);
        if ("backfill".equals(command)) {
            System.setProperty("clerk.log.target", "System.err");
            System.exit(BackfillMain.run(rest, System.getenv(), Path.of(""), Map.of(), System.out, System.err));
        }
        if ("remap".equals(command)) {
            System.setProperty("clerk.log.target", "System.err");
            System.exit(RemapMain.run(rest, Path.of(""), Map.of(), System.out, System.err));
        }
        if ("resync".equals(command)) {
            System.setProperty("clerk.log.target", "System.err");
            System.exit(ResyncMain.run(rest, Path.of(""), Map.of(), System.out, System.err));
        }
        Main main = createMain(Path.of(""), Map.of());
        // SIGTERM is the normal way to stop a service (Kubernetes, systemd), SIGINT (Ctrl-C) the way to
        // stop it in a terminal: Camel then stops taking requests, finishes those in flight and closes
        // the stores, and the process exits 0. Camel's own JVM shutdown hook is left out: it would log
        // "triggered by SIGTERM" for every exit, a failed start-up's included.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        Signal.handle(new Signal("TERM"), signal -> main.completed());
        Signal.handle(new Signal("INT"), signal -> main.completed());
        try {
            System.exit(main.run(args));
        } catch (RuntimeException e) {
            InvalidConfigurationException invalid = InvalidConfigurationException.findIn(e);
            if (invalid == null) {
                throw e;
            }
            System.err.println("clerk-sync cannot start: " + invalid.getMessage());
            System.exit(2);
        } catch (Error e) {
            // Vert.x's threads are not daemons: left to unwind, an Error (a jar replaced under the
            // running process, out of memory) would leave the process up and deaf. Exit instead.
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * Answers a command line that does not run the service or a command: the usage on standard
     * output for help, the version, or what is wrong and the usage on standard error. The exit status.
     */
    static int answer(String command, PrintStream out, PrintStream err) {
        switch (command) {
            case "--help", "-h", "help" -> {
                out.print(USAGE);
                return 0;
            }
            case "--version" -> {
                out.println("clerk-sync " + version());
                return 0;
            }
            default -> {
                err.println((command.startsWith("-") ? "unknown option: " : "unknown command: ") + command);
                err.print(USAGE);
                return 2;
            }
        }
    }

    /** The version the packaged jar carries ({@link StartupSummary#version()}). */
    static String version() {
        return StartupSummary.version();
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
