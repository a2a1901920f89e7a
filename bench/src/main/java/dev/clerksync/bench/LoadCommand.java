package dev.clerksync.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The {@code load} command: generates the stream and its model, signs it, runs it against the
 * service, then checks every configured store against the model and reports.
 */
final class LoadCommand {

    // Enough entries for this rate over the whole run; the cap keeps the stream within ~1.5 GB of heap.
    private static final int MAX_ENTRIES = 600_000;
    // Clocks start an hour back: realistic times, all well below "now".
    private static final long CLOCK_START_OFFSET_MS = TimeUnit.HOURS.toMillis(1);

    // As long as a slow answer may take before it counts as no answer at all.
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private LoadCommand() {
    }

    static int run(Args args) throws Exception {
        LoadOptions options = LoadOptions.from(args);
        String runTag = ClerkIds.newRunTag();
        SplittableRandom random = new SplittableRandom(options.seed());
        ClerkIds ids = new ClerkIds(runTag, random);
        int length = (int) Math.min(MAX_ENTRIES,
                Math.ceil(options.streamRate() * (options.warmupSeconds() + options.durationSeconds())));

        long generationStart = System.nanoTime();
        DeliveryStream stream = DeliveryStream.generate(length, options.users(), options.duplicates(), ids, random,
                System.currentTimeMillis() - CLOCK_START_OFFSET_MS);
        long generationMs = elapsedMs(generationStart);

        long signingStart = System.nanoTime();
        DeliverySigner signer = new DeliverySigner(options.secret());
        long signedAt = Instant.now().getEpochSecond();
        String[] signatures = signer.presign(stream, signedAt);
        long signingMs = elapsedMs(signingStart);

        LoadRunner runner = new LoadRunner(new WebhookSender(options.url(), REQUEST_TIMEOUT), signer, stream, signatures, signedAt);
        LoadRunner.Run run = runner.run(options.concurrency(), options.warmupSeconds(), options.durationSeconds(),
                () -> CpuSnapshot.take(options.servicePid(), options.mongoPid()));
        double peakRssMb = options.servicePid() > 0 ? ProcFs.memoryMb(options.servicePid(), "VmHWM") : Double.NaN;

        List<Delivery> sent = runner.sentDeliveries(run.sentEntries());
        LoadRunner.Redelivery redelivery = runner.redeliverUnacknowledged(sent);
        ExpectedState model = new ExpectedState();
        sent.forEach(model::apply);
        List<Verification> verifications = verify(options, model, ids, sent.size());

        LoadReport report = new LoadReport(options, stream, generationMs, signingMs, run, peakRssMb, redelivery,
                verifications);
        report.print(System.out);
        if (!options.summaryFile().isEmpty()) {
            report.writeSummary(options.summaryFile());
        }
        return report.verified() ? 0 : 3;
    }

    private static List<Verification> verify(LoadOptions options, ExpectedState model, ClerkIds ids,
                                             long distinctSent) {
        List<Verification> verifications = new ArrayList<>();
        if (options.stores().contains("postgres")) {
            PostgresCheck postgres = new PostgresCheck(options.postgresUrl(), options.postgresUser());
            verifications.add(readBack("postgres",
                    () -> postgres.verify(model.users(), ids.prefix("user"), ids.prefix("msg"), distinctSent)));
        }
        if (options.stores().contains("mongodb")) {
            MongoCheck mongo = new MongoCheck(options.mongodbUri(), options.mongodbDatabase());
            verifications.add(readBack("mongodb",
                    () -> mongo.verify(model.users(), ids.prefix("user"), ids.prefix("msg"), distinctSent)));
        }
        return verifications;
    }

    /** A store that cannot be read back fails the verification, and the report still shows the run. */
    private static Verification readBack(String store, Callable<Verification> check) {
        try {
            return check.call();
        } catch (Exception e) {
            return Verification.unreadable(store, e);
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
