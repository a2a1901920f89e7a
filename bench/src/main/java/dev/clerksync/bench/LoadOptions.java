package dev.clerksync.bench;

import java.util.List;

/** The options of the {@code load} command. */
record LoadOptions(
        String url,
        String secret,
        int concurrency,
        double durationSeconds,
        double warmupSeconds,
        double duplicates,
        int users,
        List<String> stores,
        String postgresUrl,
        String postgresUser,
        String mongodbUri,
        String mongodbDatabase,
        long servicePid,
        long mongoPid,
        String summaryFile,
        long seed,
        int streamRate) {

    // Svix timestamps are accepted for 5 minutes and the whole stream is signed before the run.
    private static final double LONGEST_RUN_SECONDS = 240;

    static LoadOptions from(Args args) {
        LoadOptions options = new LoadOptions(
                args.required("url"),
                args.required("secret"),
                args.intValue("concurrency", 32),
                args.doubleValue("duration", 20),
                args.doubleValue("warmup", 15),
                args.doubleValue("duplicates", 0.05),
                args.intValue("users", 10_000),
                List.of(args.get("stores", "postgres,mongodb").split(",")),
                args.get("postgres-url", ""),
                args.get("postgres-user", "postgres"),
                args.get("mongodb-uri", ""),
                args.get("mongodb-database", "clerk_sync"),
                args.longValue("service-pid", 0),
                args.longValue("mongo-pid", 0),
                args.get("summary-file", ""),
                args.longValue("seed", 42),
                args.intValue("stream-rate", 6_000));
        options.validate();
        return options;
    }

    private void validate() {
        if (warmupSeconds + durationSeconds > LONGEST_RUN_SECONDS) {
            throw new IllegalArgumentException("warm-up plus duration must stay under " + LONGEST_RUN_SECONDS
                    + " s: the deliveries are signed before the run and Svix signatures expire after 5 minutes");
        }
        if (concurrency < 1 || duplicates < 0 || duplicates >= 1) {
            throw new IllegalArgumentException("--concurrency must be >= 1 and --duplicates in [0, 1)");
        }
        for (String store : stores) {
            if (!store.equals("postgres") && !store.equals("mongodb")) {
                throw new IllegalArgumentException("--stores takes postgres, mongodb or both, not " + store);
            }
        }
        if ((stores.contains("postgres") && postgresUrl.isEmpty())
                || (stores.contains("mongodb") && mongodbUri.isEmpty())) {
            throw new IllegalArgumentException("each store in --stores needs its --postgres-url / --mongodb-uri");
        }
    }
}
