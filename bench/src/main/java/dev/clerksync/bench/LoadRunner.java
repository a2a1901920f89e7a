package dev.clerksync.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

/**
 * Sends the stream in a closed loop: N workers each take the next entry of the shared stream, send
 * it and wait for the answer, until the time is up. Requests started during the warm-up are sent
 * but not measured.
 */
final class LoadRunner {

    /** What a run did: the measured tally, how far into the stream it got, and its CPU use. */
    record Run(Tally tally, int sentEntries, boolean exhausted, double measuredSeconds,
               CpuSnapshot.CpuUsage cpu, long measureStartEpochMs, long measureEndEpochMs, int[] acceptedPerSecond) {
    }

    /** What re-sending the unacknowledged deliveries after the run achieved. */
    record Redelivery(int redelivered, int stillUnacknowledged) {
    }

    private static final int REDELIVERY_ATTEMPTS = 3;
    private static final long REDELIVERY_PAUSE_MS = 500;
    private static final long REDELIVERY_BUDGET_NANOS = 60_000_000_000L;

    private final WebhookSender sender;
    private final DeliverySigner signer;
    private final DeliveryStream stream;
    private final String[] signatures;
    private final long signedAt;
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicBoolean exhausted = new AtomicBoolean();
    private final AtomicIntegerArray acknowledged;

    LoadRunner(WebhookSender sender, DeliverySigner signer, DeliveryStream stream, String[] signatures,
               long signedAt) {
        this.sender = sender;
        this.signer = signer;
        this.stream = stream;
        this.signatures = signatures;
        this.signedAt = signedAt;
        this.acknowledged = new AtomicIntegerArray(stream.distinctCount());
    }

    Run run(int concurrency, double warmupSeconds, double durationSeconds, Supplier<CpuSnapshot> cpu)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureStart = start + (long) (warmupSeconds * 1e9);
        long deadline = measureStart + (long) (durationSeconds * 1e9);
        // 200s by the second of the run they were answered in, warm-up included: shows the JIT warming up.
        AtomicIntegerArray acceptedPerSecond = new AtomicIntegerArray((int) Math.ceil(warmupSeconds + durationSeconds) + 1);
        Schedule schedule = new Schedule(start, measureStart, deadline, acceptedPerSecond);
        List<Tally> tallies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Tally tally = new Tally();
            tallies.add(tally);
            Thread worker = new Thread(() -> work(tally, schedule), "load-worker-" + i);
            workers.add(worker);
            worker.start();
        }
        Thread.sleep(Math.max(0, (measureStart - System.nanoTime()) / 1_000_000));
        CpuSnapshot before = cpu.get();
        long measureStartEpochMs = Instant.now().toEpochMilli();
        for (Thread worker : workers) {
            worker.join();
        }
        CpuSnapshot after = cpu.get();
        Tally total = new Tally();
        tallies.forEach(total::add);
        return new Run(total, Math.min(cursor.get(), stream.length()), exhausted.get(),
                (after.nanoTime() - before.nanoTime()) / 1e9, before.usageUntil(after),
                measureStartEpochMs, Instant.now().toEpochMilli(), snapshot(acceptedPerSecond));
    }

    /** When the run started, when measuring starts and ends (nanoTime), and the 200s per second. */
    private record Schedule(long start, long measureStart, long deadline, AtomicIntegerArray acceptedPerSecond) {
    }

    private void work(Tally tally, Schedule schedule) {
        while (System.nanoTime() < schedule.deadline()) {
            int index = cursor.getAndIncrement();
            if (index >= stream.length()) {
                exhausted.set(true);
                return;
            }
            Delivery delivery = stream.entry(index);
            long sentAt = System.nanoTime();
            WebhookSender.Answer answer = signatures[index] != null
                    ? sender.send(delivery, signedAt, signatures[index])
                    : sendFreshlySigned(delivery);
            long answeredAt = System.nanoTime();
            if (answer.status() == 200) {
                acknowledged.set(delivery.ordinal(), 1);
                int second = (int) ((answeredAt - schedule.start()) / 1_000_000_000L);
                if (second < schedule.acceptedPerSecond().length()) {
                    schedule.acceptedPerSecond().incrementAndGet(second);
                }
            }
            if (sentAt >= schedule.measureStart()) {
                tally.record(answeredAt - sentAt, answer);
            }
        }
    }

    private static int[] snapshot(AtomicIntegerArray counts) {
        int[] values = new int[counts.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts.get(i);
        }
        return values;
    }

    /** A duplicate is a new attempt, as Svix makes it: same svix-id, current time, new signature. */
    private WebhookSender.Answer sendFreshlySigned(Delivery delivery) {
        long now = Instant.now().getEpochSecond();
        return sender.send(delivery, now, signer.sign(delivery, now));
    }

    /** The distinct deliveries among the first {@code sentEntries} entries: what the stores were sent. */
    List<Delivery> sentDeliveries(int sentEntries) {
        BitSet seen = new BitSet(stream.distinctCount());
        List<Delivery> sent = new ArrayList<>();
        for (int i = 0; i < sentEntries; i++) {
            Delivery delivery = stream.entry(i);
            if (!seen.get(delivery.ordinal())) {
                seen.set(delivery.ordinal());
                sent.add(delivery);
            }
        }
        return sent;
    }

    /**
     * Re-sends every sent delivery that never got a 200, as Svix would, so that the stores can be
     * checked against the model of everything that was sent. Gives up after a round in which
     * nothing got through (the service is down) or when the time budget is spent.
     */
    Redelivery redeliverUnacknowledged(List<Delivery> sent) throws InterruptedException {
        List<Delivery> pending = new ArrayList<>();
        for (Delivery delivery : sent) {
            if (acknowledged.get(delivery.ordinal()) == 0) {
                pending.add(delivery);
            }
        }
        int redelivered = pending.size();
        long deadline = System.nanoTime() + REDELIVERY_BUDGET_NANOS;
        for (int attempt = 0; attempt < REDELIVERY_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(REDELIVERY_PAUSE_MS);
            }
            int before = pending.size();
            pending.removeIf(delivery -> System.nanoTime() < deadline && sendFreshlySigned(delivery).status() == 200);
            if (pending.size() == before) {
                break;
            }
        }
        return new Redelivery(redelivered, pending.size());
    }
}
