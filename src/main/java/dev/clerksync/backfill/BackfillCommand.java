package dev.clerksync.backfill;

import java.util.List;
import java.util.Map;

/**
 * The command-line surface of {@code backfill}. The store side (applying objects, checkpoints,
 * reconcile deletes) calls {@link #parse} first and maps its exceptions to exit status 2.
 */
public final class BackfillCommand {

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

    private BackfillCommand() {
    }

    /**
     * The options of a run, from the arguments after {@code backfill} and the environment.
     *
     * @throws BackfillUsageException                    print {@link #USAGE}, exit 2
     * @throws dev.clerksync.InvalidConfigurationException print its message, exit 2
     */
    public static BackfillOptions parse(List<String> args, Map<String, String> env) {
        return BackfillOptions.parse(args, env);
    }
}
