package dev.clerksync.backfill;

import java.time.Duration;

/**
 * Spaces requests to Clerk evenly: at most {@code ratePerSecond} start in any one second, and none
 * starts while a {@code Retry-After} from Clerk is running. Fixed spacing rather than a token
 * bucket: a bucket would allow a burst at start, and Clerk's limit (1,000 requests per 10 s in
 * production, 100 in development, per secret key) is shared with the service's other users of the
 * key, so a backfill should never burst. Thread-safe; a rate of 0 means no spacing (benchmarks),
 * though a {@code Retry-After} is still honoured.
 */
public final class RequestPacer {

    /** Waits for the given number of nanoseconds; tests may count instead of wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** Reads a monotonic clock in nanoseconds ({@link System#nanoTime()} in production). */
    @FunctionalInterface
    public interface NanoClock {
        long nanoTime();
    }

    private final long spacingNanos;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private long nextSlot;
    private long blockedUntil;

    public RequestPacer(int ratePerSecond) {
        this(ratePerSecond, System::nanoTime, RequestPacer::sleep);
    }

    public RequestPacer(int ratePerSecond, NanoClock clock, Sleeper sleeper) {
        if (ratePerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (no limit) or more");
        }
        this.spacingNanos = ratePerSecond == 0 ? 0 : Duration.ofSeconds(1).toNanos() / ratePerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
        long now = clock.nanoTime();
        this.nextSlot = now;
        this.blockedUntil = now;
    }

    /** Blocks until this caller may send its request. */
    public void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = clock.nanoTime();
            slot = Math.max(now, Math.max(nextSlot, blockedUntil));
            // The slot is reserved before waiting, so concurrent callers queue up behind each other.
            nextSlot = slot + spacingNanos;
        }
        while (true) {
            long wait = slot - clock.nanoTime();
            if (wait > 0) {
                sleeper.sleepNanos(wait);
            }
            synchronized (this) {
                // A 429 seen by another thread while this one waited moves its slot behind the block.
                if (clock.nanoTime() >= blockedUntil) {
                    return;
                }
                slot = blockedUntil;
                nextSlot = Math.max(nextSlot, slot + spacingNanos);
            }
        }
    }

    /**
     * No request may start before {@code pause} has passed from now: Clerk blocks the key for the
     * {@code Retry-After} seconds and counts requests sent during the block against it.
     */
    public synchronized void pauseFor(Duration pause) {
        long until = clock.nanoTime() + pause.toNanos();
        blockedUntil = Math.max(blockedUntil, until);
        nextSlot = Math.max(nextSlot, until);
    }

    private static void sleep(long nanos) throws InterruptedException {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
}
