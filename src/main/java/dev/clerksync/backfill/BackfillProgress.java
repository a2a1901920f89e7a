package dev.clerksync.backfill;

import java.io.PrintStream;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes a progress line to standard error every few seconds while a backfill runs: fetched and
 * applied so far per kind, of the total where Clerk reported one. Counts only, never an id, name
 * or address. A timer drives it, so a slow page or a long {@code Retry-After} does not silence it.
 */
public final class BackfillProgress implements AutoCloseable {

    /** Operators are promised a line at least every 5 s, so a quiet run is not mistaken for a hung one. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** Runs a task every interval until closed; tests fire the task themselves. */
    @FunctionalInterface
    public interface Timer {
        AutoCloseable every(Duration interval, Runnable task);
    }

    private final BackfillSummary summary;
    private final ClerkApi api;
    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AutoCloseable schedule;

    /** Starts reporting every {@link #DEFAULT_INTERVAL} on a daemon thread. */
    public static BackfillProgress start(BackfillSummary summary, ClerkApi api, PrintStream err) {
        return new BackfillProgress(summary, api, err, DEFAULT_INTERVAL, System::nanoTime, BackfillProgress::daemonTimer);
    }

    /**
     * @param api may be null (then no request counts are shown)
     */
    public BackfillProgress(BackfillSummary summary, ClerkApi api, PrintStream out, Duration interval,
                            LongSupplier nanoClock, Timer timer) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.summary = summary;
        this.api = api;
        this.out = out;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.schedule = timer.every(interval, this::report);
    }

    /** Writes one progress line now. */
    public void report() {
        out.println(line());
        out.flush();
    }

    /** The progress line, e.g. {@code backfill 12 s: users 1000 of 5000 fetched, 990 applied; …}. */
    public String line() {
        StringJoiner kinds = new StringJoiner("; ");
        for (BackfillSummary.Kind kind : BackfillSummary.Kind.values()) {
            BackfillSummary.Counts c = summary.of(kind);
            String of = c.total() >= 0 ? " of " + c.total() : "";
            String deleted = c.deleted() > 0 ? ", " + c.deleted() + " deleted" : "";
            kinds.add(kind.key() + " " + c.fetched() + of + " fetched, " + c.applied() + " applied" + deleted);
        }
        long seconds = Duration.ofNanos(nanoClock.getAsLong() - startNanos).toSeconds();
        String requests = api == null ? "" : "; " + api.requests() + " requests, " + api.rateLimited() + " rate limited";
        return "backfill " + seconds + " s: " + kinds + requests;
    }

    /** Stops the timer; the caller then prints the summary on standard output. */
    @Override
    public void close() {
        try {
            schedule.close();
        } catch (Exception e) {
            throw new IllegalStateException("progress timer did not stop", e);
        }
    }

    private static AutoCloseable daemonTimer(Duration interval, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "backfill-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        // Fixed rate: a line every interval, however long the run's pages take.
        executor.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }
}
