package dev.clerksync.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.clerksync.verify.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own Prometheus metrics, beside Camel's route metrics on {@code /observe/metrics}:
 * deliveries by type and outcome, rejections by reason, per-store write latency and failures, and
 * the sizes of the stores' group commits, every answer of the webhook port by status, and the times
 * of the last verified delivery and the last 5xx (the silence alarm of deploy/kubernetes/monitoring).
 */
public final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary relationalBatches;
    private final DistributionSummary mongodbBatches;
    /** Epoch milliseconds; 0 until the first since start-up. */
    private final AtomicLong lastVerifiedDelivery = new AtomicLong();
    private final AtomicLong lastServerError = new AtomicLong();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.relationalBatches = DistributionSummary.builder("clerk_sync_relational_batch_size")
                .description("Deliveries decided in one transaction of the relational store (group commit)")
                .register(registry);
        this.mongodbBatches = DistributionSummary.builder("clerk_sync_mongodb_batch_size")
                .description("Deliveries followed in one round of MongoDB bulk writes (group commit)")
                .register(registry);
        // Registered at start with 0 ("none since start-up"): an alert rule can tell "never" from "absent".
        Gauge.builder("clerk_sync_last_verified_delivery_timestamp_seconds", lastVerifiedDelivery, DeliveryMetrics::seconds)
                .description("When the last delivery whose Svix signature verified arrived, in epoch seconds (0: none since start-up)")
                .strongReference(true).register(registry);
        Gauge.builder("clerk_sync_last_server_error_timestamp_seconds", lastServerError, DeliveryMetrics::seconds)
                .description("When the webhook port last answered a 5xx, in epoch seconds (0: none since start-up)")
                .strongReference(true).register(registry);
    }

    /**
     * {@code clerk_sync_last_verified_delivery_timestamp_seconds}: a delivery's signature verified
     * (routes/webhook.camel.yaml calls this right after the verifier), whatever the stores then made of it.
     */
    public void verifiedDelivery() {
        lastVerifiedDelivery.set(System.currentTimeMillis());
    }

    /**
     * {@code clerk_sync_responses_total{status}} for every answer of the webhook port, and for a 5xx
     * {@code clerk_sync_last_server_error_timestamp_seconds}.
     */
    public void answered(int status) {
        Counter.builder("clerk_sync_responses")
                .description("Answers of the webhook port by HTTP status")
                .tag("status", Integer.toString(status))
                .register(registry).increment();
        if (status >= 500) {
            lastServerError.set(System.currentTimeMillis());
        }
    }

    private static double seconds(AtomicLong epochMillis) {
        return epochMillis.get() / 1000.0;
    }

    /** {@code clerk_sync_relational_batch_size}: how many deliveries shared one transaction. */
    public void relationalBatch(int deliveries) {
        relationalBatches.record(deliveries);
    }

    /** {@code clerk_sync_mongodb_batch_size}: how many deliveries MongoDB's follower wrote in one round of bulk writes. */
    public void mongodbBatch(int deliveries) {
        mongodbBatches.record(deliveries);
    }

    /** {@code clerk_sync_deliveries_total{type,outcome}}: every delivery answered 200 or 503. */
    public void delivered(String type, String outcome) {
        Counter.builder("clerk_sync_deliveries")
                .description("Deliveries by event type and outcome (applied, duplicate, stale, ignored, unavailable)")
                .tag("type", type).tag("outcome", outcome)
                .register(registry).increment();
    }

    /** {@code clerk_sync_rejections_total{reason}}: reason is the {@link RejectionReason#label()} the log line shows too. */
    public void rejected(RejectionReason reason) {
        Counter.builder("clerk_sync_rejections")
                .description("Deliveries refused before reaching a store, by reason")
                .tag("reason", reason.label())
                .register(registry).increment();
    }

    /**
     * {@code clerk_sync_connections_closed_total{reason}}: webhook connections the service closed
     * before or between requests; reason is header_timeout, idle_timeout or address_limit.
     */
    public void connectionClosed(String reason) {
        Counter.builder("clerk_sync_connections_closed")
                .description("Webhook connections closed without a request: head too slow, idle too long, or over the per-address cap")
                .tag("reason", reason)
                .register(registry).increment();
    }

    /** {@code clerk_sync_store_write_seconds{store}} and {@code clerk_sync_store_failures_total{store}}. */
    public void storeWrite(String store, Duration duration, boolean failed) {
        Timer.builder("clerk_sync_store_write")
                .description("Time one store took to take a delivery's effect")
                .tag("store", store)
                .publishPercentileHistogram()
                .register(registry).record(duration);
        if (failed) {
            Counter.builder("clerk_sync_store_failures")
                    .description("Store writes that failed (the delivery was answered 503)")
                    .tag("store", store)
                    .register(registry).increment();
        }
    }
}
