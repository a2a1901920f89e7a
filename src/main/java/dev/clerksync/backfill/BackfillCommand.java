package dev.clerksync.backfill;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.clerksync.ClerkApiSettings;
import dev.clerksync.CommandLines;
import dev.clerksync.StoresCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command-line surface of {@code backfill}: picocli fills the flags, {@link #options()} checks how
 * they go together and adds the Clerk settings of the environment, and the run on the stores
 * ({@link BackfillMain}) gets the {@link BackfillOptions}.
 */
@CommandLine.Command(name = "backfill", description = BackfillCommand.USAGE)
public final class BackfillCommand extends StoresCommand {

    public static final String USAGE = """
            usage: java -jar clerk-sync.jar backfill [--users] [--organizations] [--billing]
                                                     [--reconcile [--dry-run]] [--resume] [--rate N]

            Reads users, organizations, memberships and billing subscriptions from Clerk's Backend API and
            applies each to the stores as if its *.updated event had arrived (a newer webhook always wins).

              --users          read every user
              --organizations  read every organization and its memberships
              --billing        read every subscription item and each payer's subscription
                               (none of these three: read all of it)
              --reconcile      after a complete pass, delete the users, organizations and memberships
                               stored but no longer in Clerk (each checked one by one: Clerk must
                               answer 404), and report the drift; billing records are never deleted
              --dry-run        with --reconcile: only report the drift (the summary's "drift", example
                               ids on standard error); write nothing, and leave billing out
              --resume         continue the last unfinished run
              --rate N         at most N requests per second to Clerk, 0 to 100; default 20; 0 = no limit

            Needs CLERK_SECRET_KEY (or CLERK_SECRET_KEY_FILE, a file holding it); CLERK_API_URL defaults
            to https://api.clerk.com/v1. Progress goes to standard error; the last line on standard
            output is a JSON summary.

            Exit status: 0 done, 1 stopped on an API or store error (--resume continues), 2 usage or
            configuration error, including a key Clerk rejects.
            """;

    private static final String RATE_RANGE = "--rate must be a whole number of requests per second, 0 to "
            + BackfillOptions.MAX_RATE;

    @Spec
    private CommandSpec spec;
    @Option(names = "--users")
    private boolean users;
    @Option(names = "--organizations")
    private boolean organizations;
    @Option(names = "--billing")
    private boolean billing;
    @Option(names = "--reconcile")
    private boolean reconcile;
    @Option(names = "--dry-run")
    private boolean dryRun;
    @Option(names = "--resume")
    private boolean resume;
    private int rate = BackfillOptions.DEFAULT_RATE;

    private final Map<String, String> env;

    /** @param env the environment, for the Clerk settings */
    public BackfillCommand(Map<String, String> env, Path workingDir, Map<String, String> overrides, PrintStream out,
                           PrintStream err) {
        super(workingDir, overrides, out, err);
        this.env = env;
    }

    /**
     * The options of a run, from the arguments after {@code backfill} and the environment, read
     * without running it (the scheduled reconcile's pass).
     *
     * @throws ParameterException                         a wrong command line
     * @throws dev.clerksync.InvalidConfigurationException a missing or malformed Clerk setting
     */
    public static BackfillOptions parse(List<String> args, Map<String, String> env) {
        // The command as the process would make it: only its command line is read.
        BackfillCommand command = new BackfillCommand(env, Path.of(""), Map.of(), System.out, System.err);
        CommandLines.of(command).parseArgs(args.toArray(String[]::new));
        return command.options();
    }

    @Override
    public Integer call() {
        BackfillOptions options = options();
        return onStores("backfill", "backfill needs the relational store: SYNC_STORES must name postgres (it decides each"
                + " page in one transaction and keeps the run's checkpoints)", stores -> BackfillMain.run(options, stores, err));
    }

    // A method rather than an int field: a value that is no whole number gets the answer one out of range gets.
    @Option(names = "--rate", paramLabel = "N")
    private void rate(String value) {
        try {
            rate = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), RATE_RANGE);
        }
        if (rate < 0 || rate > BackfillOptions.MAX_RATE) {
            throw new ParameterException(spec.commandLine(), RATE_RANGE);
        }
    }

    /**
     * The options the flags ask for; none of {@code --users}, {@code --organizations} and
     * {@code --billing} means all three.
     *
     * @throws ParameterException                         flags that do not go together
     * @throws dev.clerksync.InvalidConfigurationException a missing or malformed Clerk setting
     */
    BackfillOptions options() {
        if (dryRun && !reconcile) {
            throw new ParameterException(spec.commandLine(),
                    "--dry-run goes with --reconcile: it reports what a reconcile pass would repair");
        }
        if (dryRun && resume) {
            // A dry run keeps no checkpoint, so there is nothing it could continue.
            throw new ParameterException(spec.commandLine(),
                    "--dry-run cannot --resume: a dry run keeps no checkpoint, run it again instead");
        }
        boolean all = !users && !organizations && !billing;
        return new BackfillOptions(users || all, organizations || all, billing || all, reconcile, dryRun, resume, rate,
                BackfillOptions.secretKey(env), ClerkApiSettings.apiUrl(env.get("CLERK_API_URL")));
    }
}
