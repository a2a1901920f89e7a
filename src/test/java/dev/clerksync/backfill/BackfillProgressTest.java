package dev.clerksync.backfill;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static dev.clerksync.backfill.BackfillSummary.Kind.MEMBERSHIPS;
import static dev.clerksync.backfill.BackfillSummary.Kind.ORGANIZATIONS;
import static dev.clerksync.backfill.BackfillSummary.Kind.SUBSCRIPTIONS;
import static dev.clerksync.backfill.BackfillSummary.Kind.SUBSCRIPTION_ITEMS;
import static dev.clerksync.backfill.BackfillSummary.Kind.USERS;
import static org.assertj.core.api.Assertions.assertThat;

/** A manual timer and clock stand in for the real ones: each tick is fired by the test. */
class BackfillProgressTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BackfillSummary summary = new BackfillSummary();
    private long now;
    private Duration scheduledEvery;
    private Runnable tick;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private BackfillProgress progress(Duration interval) {
        return new BackfillProgress(summary, null, new PrintStream(err, true, StandardCharsets.UTF_8), interval, () -> now,
                (every, task) -> {
                    scheduledEvery = every;
                    tick = task;
                    return () -> stopped.set(true);
                });
    }

    private String[] lines() {
        String text = err.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? new String[0] : text.split("\n");
    }

    @Test
    void writes_a_line_every_interval_with_fetched_and_applied_of_the_known_totals() {
        BackfillProgress progress = progress(BackfillProgress.DEFAULT_INTERVAL);
        assertThat(scheduledEvery).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(lines()).isEmpty();

        summary.of(USERS).total(5000);
        summary.of(USERS).fetched(1000);
        summary.of(USERS).applied(990);
        now += Duration.ofSeconds(5).toNanos();
        tick.run();

        summary.of(USERS).fetched(500);
        summary.of(ORGANIZATIONS).total(3);
        summary.of(ORGANIZATIONS).fetched(3);
        summary.of(MEMBERSHIPS).fetched(7);
        summary.of(MEMBERSHIPS).deleted(1);
        summary.of(SUBSCRIPTION_ITEMS).total(2);
        summary.of(SUBSCRIPTION_ITEMS).fetched(2);
        summary.of(SUBSCRIPTION_ITEMS).applied(2);
        summary.of(SUBSCRIPTIONS).fetched(1);
        now += Duration.ofSeconds(5).toNanos();
        tick.run();

        assertThat(lines()).containsExactly(
                "backfill 5 s: users 1000 of 5000 fetched, 990 applied; organizations 0 fetched, 0 applied;"
                        + " memberships 0 fetched, 0 applied; subscriptions 0 fetched, 0 applied;"
                        + " subscription_items 0 fetched, 0 applied",
                "backfill 10 s: users 1500 of 5000 fetched, 990 applied; organizations 3 of 3 fetched, 0 applied;"
                        + " memberships 7 fetched, 0 applied, 1 deleted; subscriptions 1 fetched, 0 applied;"
                        + " subscription_items 2 of 2 fetched, 2 applied");
        progress.close();
        assertThat(stopped).isTrue();
    }

    @Test
    void shows_requests_and_429s_when_given_the_client() {
        ClerkApi api = new ClerkApi(java.net.URI.create("http://127.0.0.1:9/v1"), "sk_test_x", new RequestPacer(0));
        BackfillProgress progress = new BackfillProgress(summary, api, new PrintStream(err, true, StandardCharsets.UTF_8),
                Duration.ofSeconds(1), () -> now, (every, task) -> () -> { });

        assertThat(progress.line()).endsWith("; 0 requests, 0 rate limited");
    }

    @Test
    void the_real_timer_reports_and_stops() {
        BackfillProgress progress = new BackfillProgress(summary, null, new PrintStream(err, true, StandardCharsets.UTF_8),
                Duration.ofMillis(20), System::nanoTime, BackfillProgressTest::realTimer);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lines().length >= 2);
        progress.close();
    }

    private static AutoCloseable realTimer(Duration every, Runnable task) {
        java.util.concurrent.ScheduledExecutorService executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        executor.scheduleAtFixedRate(task, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }
}
