package dev.clerksync.bench;

import java.util.Arrays;

/** The benchmark's command line: one jar, one subcommand for each tool that bench/run.sh needs. */
public final class Bench {

    private static final String USAGE = """
            usage: java -jar clerk-sync-bench.jar COMMAND [options]
              mongo-server PORT                 a MongoDB-wire server in memory on 127.0.0.1:PORT, until killed
              startup-probe --url URL --secret whsec_... --ready-file F --started-at-file F [--timeout-seconds 60]
                                                time from the service's start to its first accepted delivery
              load --url URL --secret whsec_... [--concurrency 32] [--duration 20] [--warmup 15] [--duplicates 0.05]
                   [--users 10000] [--stores postgres,mongodb] [--postgres-url JDBC --postgres-user USER]
                   [--mongodb-uri URI --mongodb-database NAME] [--service-pid PID] [--mongo-pid PID]
                   [--summary-file F] [--seed N] [--stream-rate 6000]
                                                the load run, with verification of both stores against the model
              jfr-summary FILE [--from EPOCH_MS] [--to EPOCH_MS] [--top 15]
                                                where the service's CPU time went, from a JFR recording
              matrix-table DIR                  the markdown table of medians of the runs under DIR
              fake-clerk PORT [--users 100000]  Clerk's Backend API users list on 127.0.0.1:PORT, until killed
              heavy-deletions --url URL --secret whsec_... --postgres-url JDBC --mongodb-uri URI [--mongodb-database bench]
                   [--memberships 20000] [--audit-entries 100000] [--concurrency 4]
                                                an organization's and a user's deletion while other deliveries arrive
              copy-vs-arrays --postgres-url JDBC [--users 20000] [--rounds 3]
                                                a backfill page by COPY into a staging table against text[] parameters
            """;

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.print(USAGE);
            System.exit(64);
        }
        Args args = Args.parse(Arrays.copyOfRange(argv, 1, argv.length));
        int status = switch (argv[0]) {
            case "mongo-server" -> MongoWireServer.run(args);
            case "startup-probe" -> StartupProbe.run(args);
            case "load" -> LoadCommand.run(args);
            case "jfr-summary" -> JfrSummary.run(args);
            case "matrix-table" -> MatrixTable.run(args);
            case "fake-clerk" -> FakeClerkUsers.run(args);
            case "heavy-deletions" -> HeavyDeletionProbe.run(args);
            case "copy-vs-arrays" -> CopyVersusArrays.run(args);
            default -> {
                System.err.print(USAGE);
                yield 64;
            }
        };
        System.exit(status);
    }
}
