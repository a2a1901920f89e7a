package dev.clerksync.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import dev.clerksync.trace.TraceScope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Group commit: the requests that reach a store while it is writing share its next write (one
 * transaction and one commit, or one bulk write), and each still gets its own result.
 *
 * <p>No thread of its own, so no hand-off: the request that finds the store idle writes at once,
 * alone (a batch of one adds no latency). Requests that arrive while every writer is busy queue;
 * when a write is done, the oldest of them is woken to write everything queued, up to
 * {@code maxBatch} entries, in arrival order.
 *
 * <p>A batch never holds two entries with one {@link Entry#key() key} (a svix-id): the later one
 * waits for the next batch, and so comes out exactly as if sent after the first had finished.
 *
 * <p>Traced ({@link #trace}), each entry has a span of its own in its delivery's trace, from its
 * submission to its result ({@code <store> write}), and each batch a span of its own in a trace of
 * its own ({@code <store> batch}): one batch serves deliveries of many traces, so the two are linked
 * both ways rather than one made the parent of the others (docs/design.md decision 20).
 */
public final class GroupCommit<T extends GroupCommit.Entry> {

    /** Writes a batch; must {@link Entry#settle() settle} every entry of it, each with its own result or failure. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(List<T> batch);
    }

    /** One request's share of a write: its input, and the result the writer leaves in it. */
    public abstract static class Entry {

        private volatile Thread waiter;
        private volatile boolean settled;
        private volatile RuntimeException failure;
        private Span span = Span.getInvalid();

        /** Entries with the same key never share a batch. */
        protected abstract Object key();

        /** Done: the writer has left this entry's result in it. */
        public final void settle() {
            settled = true;
            LockSupport.unpark(waiter);
        }

        /** Done, and failed: the request that submitted it gets this exception. */
        public final void fail(RuntimeException cause) {
            failure = cause;
            settle();
        }

        /** Throws its failure, if it failed (for a writer called outside the queue). */
        public final void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }

        /** Whether it has failed (a writer may leave failed entries out of its later steps). */
        public final boolean failed() {
            return failure != null;
        }

        /** Its span's context while it is being written (invalid when not traced). */
        public final SpanContext traceContext() {
            return span.getSpanContext();
        }
    }

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();
    private final Writer<T> writer;
    private final int writers;
    private final int maxBatch;
    private final IntConsumer batchSizes;
    /** Null: not traced, and no span is ever asked for. */
    private volatile Tracer tracer;
    private volatile String store;

    /**
     * At most {@code writers} batches are written at once (their writer must keep two batches
     * written at once from deadlocking); {@code batchSizes} hears the size of every batch written (a metric).
     */
    public GroupCommit(Writer<T> writer, int writers, int maxBatch, IntConsumer batchSizes) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1: " + writers + ", " + maxBatch);
        }
        this.writer = writer;
        this.writers = writers;
        this.maxBatch = maxBatch;
        this.batchSizes = batchSizes;
    }

    /** Traces the entries and batches of {@code store} (e.g. postgres) with this tracer; set at start-up. */
    public void trace(Tracer tracer, String store) {
        this.store = store;
        this.tracer = tracer;
    }

    /**
     * Writes the entry, alone or with others, and returns once it is settled; rethrows its failure.
     * Traced, the entry's span is a child of the caller's current context.
     */
    public void submit(T submitted) {
        Tracer traced = tracer;
        if (traced == null) {
            write(submitted);
            return;
        }
        Entry entry = submitted;
        entry.span = traced.spanBuilder(store + " write").startSpan();
        try (TraceScope ignored = TraceScope.of(Context.current().with(entry.span))) {
            write(submitted);
        } catch (RuntimeException e) {
            entry.span.setStatus(StatusCode.ERROR, failure(e));
            throw e;
        } finally {
            entry.span.end();
        }
    }

    private void write(T submitted) {
        Entry entry = submitted; // the type variable would not see Entry's private fields
        entry.waiter = Thread.currentThread();
        queue.add(submitted);
        while (!entry.settled) {
            if (startWriting()) {
                try {
                    writeNextBatch();
                } finally {
                    writing.decrementAndGet();
                }
                // The oldest waiting request writes next (its thread may be parked, or about to park:
                // an unpark before park is kept, so no wake-up is lost).
                Entry next = queue.peek();
                if (next != null && next != entry) {
                    LockSupport.unpark(next.waiter);
                }
            } else {
                LockSupport.park(this);
            }
        }
        if (entry.failure != null) {
            throw entry.failure;
        }
    }

    private boolean startWriting() {
        for (int now = writing.get(); now < writers; now = writing.get()) {
            if (writing.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /** How many entries wait for a write (for tests: they can see a batch form). */
    public int queued() {
        return queue.size();
    }

    private void writeNextBatch() {
        List<T> batch = nextBatch();
        if (batch.isEmpty()) {
            return;
        }
        batchSizes.accept(batch.size());
        Span span = batchSpan(batch);
        try (TraceScope ignored = TraceScope.of(Context.root().with(span))) {
            writer.write(batch);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, failure(e));
            // A writer must settle its entries; if it broke off, none of them may wait forever.
            failUnsettled(batch, e);
        } catch (Error e) {
            failUnsettled(batch, new IllegalStateException(e));
            throw e;
        } finally {
            span.end();
        }
        failUnsettled(batch, new IllegalStateException("the store's writer left a delivery without a result"));
    }

    /** A failure as a span tells it: its class only, since a store's error text can quote stored values (an email). */
    private static String failure(RuntimeException e) {
        return e.getClass().getName();
    }

    /**
     * The batch's span, linked to each entry's span and each entry's span to it (before the writer
     * settles them: an entry's span ends as soon as it is settled); invalid when not traced.
     */
    private Span batchSpan(List<T> batch) {
        Tracer traced = tracer;
        if (traced == null) {
            return Span.getInvalid();
        }
        SpanBuilder builder = traced.spanBuilder(store + " batch").setNoParent()
                .setAttribute("clerk_sync.batch.size", (long) batch.size());
        batch.forEach(entry -> builder.addLink(entry.traceContext()));
        Span span = builder.startSpan();
        for (Entry entry : batch) {
            entry.span.addLink(span.getSpanContext());
            entry.span.setAttribute("clerk_sync.batch.size", (long) batch.size());
        }
        return span;
    }

    private static void failUnsettled(List<? extends Entry> batch, RuntimeException failure) {
        for (Entry entry : batch) {
            if (!entry.settled) {
                entry.fail(failure);
            }
        }
    }

    /**
     * The oldest queued entries, up to maxBatch, with no two of one key: the later stays queued.
     * One writer at a time takes its batch: a queue iterator's remove() does not claim the entry,
     * so two writers taking theirs at once could both take one entry and write it twice.
     */
    private synchronized List<T> nextBatch() {
        List<T> batch = new ArrayList<>(Math.min(maxBatch, 16));
        Set<Object> keys = new HashSet<>();
        for (Iterator<T> queued = queue.iterator(); queued.hasNext() && batch.size() < maxBatch; ) {
            T entry = queued.next();
            if (keys.add(entry.key())) {
                batch.add(entry);
                queued.remove();
            }
        }
        return batch;
    }
}
