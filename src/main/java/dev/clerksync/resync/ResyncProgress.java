package dev.clerksync.resync;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.clerksync.store.document.RowDocuments.Kind;

/**
 * What a resync has done so far, counted per kind, said on standard error every 5 s by a timer of
 * its own (a page may take longer than that on a slow store) and once more at the end; the JSON
 * summary for standard output.
 */
final class ResyncProgress implements AutoCloseable {

    static final long EVERY_SECONDS = 5;

    private final Map<Kind, AtomicLong> written = new EnumMap<>(Kind.class);
    private final AtomicLong keptNewer = new AtomicLong();
    private final long started = System.nanoTime();
    private final PrintStream err;
    private final ScheduledExecutorService timer;

    private ResyncProgress(PrintStream err) {
        this.err = err;
        for (Kind kind : Kind.values()) {
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

    void written(Kind kind, long count) {
        written.get(kind).addAndGet(count);
    }

    void keptNewer(long count) {
        keptNewer.addAndGet(count);
    }

    void report() {
        err.printf(Locale.ROOT, "resync: %d users, %d organizations, %d memberships, %d audit entries so far"
                        + " (%d newer in the document store kept), %.0f s%n",
                count(Kind.USER), count(Kind.ORGANIZATION), count(Kind.MEMBERSHIP), count(Kind.AUDIT),
                keptNewer.get(), seconds());
    }

    /** {@code "users":N,…,"kept_newer":N} for the summary. */
    String countsJson() {
        return "\"users\":" + count(Kind.USER) + ",\"organizations\":" + count(Kind.ORGANIZATION)
                + ",\"memberships\":" + count(Kind.MEMBERSHIP) + ",\"audit_log\":" + count(Kind.AUDIT)
                + ",\"subscriptions\":" + count(Kind.SUBSCRIPTION) + ",\"subscription_items\":" + count(Kind.SUBSCRIPTION_ITEM)
                + ",\"payment_attempts\":" + count(Kind.PAYMENT_ATTEMPT)
                + ",\"kept_newer\":" + keptNewer.get();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private long count(Kind kind) {
        return written.get(kind).get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
