package dev.clerksync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.StoresConfiguration.Command;
import dev.clerksync.backfill.BackfillCommand;
import dev.clerksync.cli.SendTestCommand;
import dev.clerksync.remap.RemapMain;
import dev.clerksync.resync.ResyncMain;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import sun.misc.Signal;

/**
 * Starts clerk-sync: the service when the command line names no command, else the command it names
 * (the line is read by picocli, {@link CommandLines}). Run from the repository root, it reads
 * {@code routes/} and {@code application.properties} from disk so that the integration team can edit
 * them without a rebuild; run from anywhere else, it uses the copies packed in the jar.
 */
@CommandLine.Command(name = "clerk-sync", description = ClerkSyncApplication.USAGE)
public final class ClerkSyncApplication implements Callable<Integer> {

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
              SYNC_MAX_BATCH, SYNC_WRITERS   deliveries per group commit (64); writes at once (2 PostgreSQL-only, else 1)
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

    // Read by picocli, which then prints the version and exits 0.
    @Option(names = "--version", versionHelp = true)
    private boolean versionAsked;

    private ClerkSyncApplication() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command the arguments name, or the service when they name none; the exit status. The
     * commands run from the working directory with no overrides, as the process does.
     */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path here = Path.of("");
        Map<String, String> noOverrides = Map.of();
        CommandLine line = CommandLines.of(new ClerkSyncApplication())
                .addSubcommand(CommandLines.of(new SendTestCommand(env, out, err)))
                .addSubcommand(CommandLines.of(new BackfillCommand(env, here, noOverrides, out, err)))
                .addSubcommand(CommandLines.of(new RemapMain(here, noOverrides, out, err)))
                .addSubcommand(CommandLines.of(new ResyncMain(here, noOverrides, out, err)))
                .addSubcommand(new CommandLine.HelpCommand());
        // Read only when asked: StartupSummary makes a logger, and logback must wait for logsFirst.
        line.getCommandSpec().versionProvider(() -> new String[] {"clerk-sync " + version()});
        line.setExecutionStrategy(parsed -> logsFirst(parsed, env, err));
        return CommandLines.execute(line, args, out, err);
    }

    /** The service: Camel Main with the webhook, until SIGTERM or SIGINT; the exit status. */
    @Override
    public Integer call() throws Exception {
        Main main = createMain(Path.of(""), Map.of());
        // SIGTERM is the normal way to stop a service (Kubernetes, systemd), SIGINT (Ctrl-C) the way to
        // stop it in a terminal: Camel then stops taking requests, finishes those in flight and closes
        // the stores, and the process exits 0. Camel's own JVM shutdown hook is left out: it would log
        // "triggered by SIGTERM" for every exit, a failed start-up's included.
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        Signal.handle(new Signal("TERM"), signal -> main.completed());
        Signal.handle(new Signal("INT"), signal -> main.completed());
        try {
            // No arguments for Camel Main: it would take words of its own for options and run anyway.
            return main.run(new String[0]);
        } catch (Error e) {
            // Vert.x's threads are not daemons: left to unwind, an Error (a jar replaced under the
            // running process, out of memory) would leave the process up and deaf. Exit 1 instead.
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * Points the logs where the chosen command wants them before anything logs (logback reads these
     * properties when it configures itself), then runs it. The service logs on standard output; the
     * commands that boot the stores on standard error, their standard output carrying the summary
     * alone; send-test (a client, nothing of Camel) and the help log nothing.
     */
    private static int logsFirst(ParseResult parsed, Map<String, String> env, PrintStream err) {
        ParseResult chosen = parsed.hasSubcommand() ? parsed.subcommand() : parsed;
        Object command = chosen.commandSpec().userObject();
        String target = command instanceof ClerkSyncApplication ? "System.out" : command instanceof StoresCommand ? "System.err" : null;
        if (target != null && !chosen.isUsageHelpRequested() && !chosen.isVersionHelpRequested()) {
            String logFormat = logFormat(env.get("LOG_FORMAT"));
            if (logFormat == null) {
                err.println("clerk-sync cannot start: LOG_FORMAT must be text or json");
                return Command.CONFIGURATION_ERROR;
            }
            System.setProperty("clerk.log.format", logFormat);
            System.setProperty("clerk.log.target", target);
        }
        return new CommandLine.RunLast().execute(parsed);
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
