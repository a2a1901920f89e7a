package dev.clerksync.resync;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.clerksync.store.RecordKind;


/**
 * What a resync has done so far, counted per kind, said on standard error every 5 s by a timer of
 * its own (a page may take longer than that on a slow store) and once more at the end; the JSON
 * summary for standard output.
 */
final class ResyncProgress implements AutoCloseable {

    static final long EVERY_SECONDS = 5;

    private final Map<RecordKind, AtomicLong> written = new EnumMap<>(RecordKind.class);
    private final AtomicLong keptNewer = new AtomicLong();
    private final long started = System.nanoTime();
    private final PrintStream err;
    private final ScheduledExecutorService timer;

    private ResyncProgress(PrintStream err) {
        this.err = err;
        for (RecordKind kind : RecordKind.values()) {
            written.put(kind, new AtomicLong());
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "resync-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    static ResyncProgress start(PrintStream err) {
        ResyncProgress progress = new ResyncProgress(err);
        progress.timer.scheduleAtFixedRate(progress::report, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return progress;
    }

    void written(RecordKind kind, long count) {
        written.get(kind).addAndGet(count);
    }

    void keptNewer(long count) {
        keptNewer.addAndGet(count);
    }

    void report() {
        err.printf(Locale.ROOT, "resync: %d users, %d organizations, %d memberships, %d audit entries so far"
                        + " (%d newer in the document store kept), %.0f s%n",
                count(RecordKind.USER), count(RecordKind.ORGANIZATION), count(RecordKind.MEMBERSHIP),
                count(RecordKind.AUDIT), keptNewer.get(), seconds());
    }

    /** {@code "users":N,…,"kept_newer":N} for the summary. */
    String countsJson() {
        return "\"users\":" + count(RecordKind.USER) + ",\"organizations\":" + count(RecordKind.ORGANIZATION)
                + ",\"memberships\":" + count(RecordKind.MEMBERSHIP) + ",\"audit_log\":" + count(RecordKind.AUDIT)
                + ",\"subscriptions\":" + count(RecordKind.SUBSCRIPTION)
                + ",\"subscription_items\":" + count(RecordKind.SUBSCRIPTION_ITEM)
                + ",\"payment_attempts\":" + count(RecordKind.PAYMENT_ATTEMPT)
                + ",\"kept_newer\":" + keptNewer.get();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private long count(RecordKind kind) {
        return written.get(kind).get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
