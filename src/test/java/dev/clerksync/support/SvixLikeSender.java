package dev.clerksync.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.clerksync.support.UserHistories.Delivery;

/**
 * Delivers as Svix does: every delivery until it gets a 2xx, each attempt with the same svix-id and
 * a fresh signature, and after a failure (a non-2xx or no answer at all) again after a growing
 * delay. Counts what it saw, so a test can report the 503s and connection failures of a fault.
 */
public final class SvixLikeSender implements AutoCloseable {

    static final long FIRST_RETRY_MILLIS = 50;
    static final long MAX_RETRY_MILLIS = 1_000;

    private final List<WebhookClient> clients;
    private final Decisions decisions;
    private final ScheduledExecutorService pool;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong otherFailures = new AtomicLong();
    private final Queue<Long> acceptedAtNanos = new ConcurrentLinkedQueue<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    public SvixLikeSender(String baseUrl, int threads) {
        this(List.of(baseUrl), threads, null);
    }

    /**
     * Sends each attempt to the next of several replicas, as a load balancer would (so a retry
     * usually reaches another one), and records every 2xx answer in {@code decisions} when given.
     */
    public SvixLikeSender(List<String> baseUrls, int threads, Decisions decisions) {
        this.clients = baseUrls.stream().map(url -> new WebhookClient(url, RunningService.SECRET)).toList();
        this.decisions = decisions;
        this.pool = Executors.newScheduledThreadPool(threads);
    }

    /** Starts delivering; the latch opens when every delivery has had its 2xx. */
    public CountDownLatch deliver(List<Delivery> deliveries, long spacingMicros) {
        CountDownLatch done = new CountDownLatch(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            pool.schedule(() -> attempt(delivery, 0, done), i * spacingMicros, TimeUnit.MICROSECONDS);
        }
        return done;
    }

    private void attempt(Delivery delivery, int retry, CountDownLatch done) {
        WebhookClient client = clients.get((int) (attempts.getAndIncrement() % clients.size()));
        WebhookClient.Response response = null;
        try {
            response = client.send(delivery.svixId(), delivery.payload());
        } catch (RuntimeException e) {
            // a refused or broken connection: retried like any failure
        }
        int status = response == null ? -1 : response.status();
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        if (status >= 200 && status < 300) {
            if (decisions != null) {
                decisions.answered(delivery.svixId(), response);
            }
            accepted.incrementAndGet();
            acceptedAtNanos.add(System.nanoTime());
            done.countDown();
            return;
        }
        if (status == 503) {
            unavailable.incrementAndGet();
        } else {
            otherFailures.incrementAndGet();
        }
        long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(retry, 10));
        pool.schedule(() -> attempt(delivery, retry + 1, done), delay, TimeUnit.MILLISECONDS);
    }

    public long attempts() {
        return attempts.get();
    }

    public long accepted() {
        return accepted.get();
    }

    public long unavailable() {
        return unavailable.get();
    }

    /** Attempts answered neither 2xx nor 503 (refused connections, mostly). */
    public long otherFailures() {
        return otherFailures.get();
    }

    /** When the first delivery accepted at or after {@code sinceNanos} (a System.nanoTime) was. */
    public OptionalLong firstAcceptedSince(long sinceNanos) {
        return acceptedAtNanos.stream().mapToLong(Long::longValue).filter(at -> at >= sinceNanos).min();
    }

    public Map<Integer, AtomicLong> statuses() {
        return statuses;
    }

    public static boolean await(CountDownLatch done, Duration limit) throws InterruptedException {
        return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
