package dev.clerksync.backfill;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A backfill's second stage: the document store follows a page (and the checkpoint after it is
 * saved) on a thread of its own, while the relational store decides the next page. With both
 * stores the two stages cost about the same, so doing them one after the other left a core idle
 * (bench/RESULTS.md, "A backfill in two stages").
 *
 * <p>Its tasks run one at a time, in the order given, and after a failure none of the later ones
 * runs: a checkpoint is saved only once every page before it is written in both stores. At most
 * {@value #IN_FLIGHT} tasks wait or run: the decider waits for the oldest before it gives another, and
 * meets a failure there, or at {@link #finish}.
 */
final class PageFollower implements AutoCloseable {

    /** A page being followed and one more: enough to keep both stages busy, and bounded memory. */
    static final int IN_FLIGHT = 2;

    private final ExecutorService thread;
    private final Deque<Future<?>> inFlight = new ArrayDeque<>();
    private volatile boolean failed;

    /** {@code separately}: false runs every task at once in the caller's thread (nothing to overlap). */
    PageFollower(boolean separately) {
        this.thread = separately ? Executors.newSingleThreadExecutor(task -> {
            Thread follower = new Thread(task, "clerk-sync-backfill-follower");
            follower.setDaemon(true);
            return follower;
        }) : null;
    }

    /** Runs the task after the ones given before it; throws the failure of an earlier one. */
    void then(Runnable task) {
        if (thread == null) {
            task.run();
            return;
        }
        while (inFlight.size() >= IN_FLIGHT) {
            awaitOldest();
        }
        inFlight.add(thread.submit(() -> {
            if (failed) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            }
        }));
    }

    /** Waits for every task given; throws the first failure. */
    void finish() {
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
    }

    /** Waits for every task given, their failures left to whoever met them first (a run that is failing already). */
    void settle() {
        while (!inFlight.isEmpty()) {
            try {
                awaitOldest();
            } catch (RuntimeException e) {
                // The run fails with its first failure; this one only stopped the tasks after it.
            }
        }
    }

    private void awaitOldest() {
        Backfill.resultOf(inFlight.remove());
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
