package dev.clerksync.http;

import java.util.Map;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.trace.TraceScope;
import dev.clerksync.verify.RejectedDeliveryException;
import dev.clerksync.verify.RejectionReason;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed delivery into its response: the status and fixed text of a rejection, 503 with
 * {@code Retry-After} when a store failed to take it (after the retries of routes/errors.camel.yaml),
 * and a bare 500 otherwise. Nothing from the
 * exception (messages, stack traces) reaches the response; the log keeps the details.
 */
public final class ErrorResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    private final int retryAfterSeconds;

    private final DeliveryMetrics metrics;

    public ErrorResponder(int retryAfterSeconds, DeliveryMetrics metrics) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        // In the delivery's trace, when traced: the log lines carry its trace and span ids.
        try (TraceScope ignored = TraceScope.of(exchange)) {
            answer(exchange);
        }
    }

    private void answer(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ClerkEvent event = exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class);
        // Set by the store routes: the failure happened while this store was taking the delivery.
        String store = exchange.getProperty(SyncConstants.STORE, String.class);
        long millis = DeliveryResponder.elapsedMillis(exchange);
        if (failure instanceof RejectedDeliveryException rejected) {
            JsonResponses.respond(exchange, rejected.reason().status(), Map.of("error", rejected.reason().publicMessage()));
            metrics.rejected(rejected.reason());
            if (rejected.reason() == RejectionReason.RATE_LIMITED) {
                exchange.getMessage().setHeader("Retry-After", 1);
            }
            DeliveryResponder.DELIVERIES.info("rejected status={} reason={} duration_ms={}",
                    rejected.reason().status(), rejected.reason().label(), millis);
        } else if (store != null) {
            JsonResponses.respond(exchange, 503, Map.of("error", "a store is unavailable; retry later"));
            exchange.getMessage().setHeader("Retry-After", retryAfterSeconds);
            metrics.delivered(event.type(), "unavailable");
            // Only the cause's class here: store error texts can quote stored values (an email, say).
            DeliveryResponder.DELIVERIES.warn("delivery svix_id={} type={} subject={} outcome=unavailable "
                            + "duration_ms={} store={} cause={}", event.svixId(), JsonResponses.loggable(event.type()),
                    JsonResponses.loggable(event.subjectId()), millis, store, rootCause(failure).getClass().getName());
            LOG.debug("store failure of delivery {}", event.svixId(), failure);
        } else {
            JsonResponses.respond(exchange, 500, Map.of("error", "internal error"));
            LOG.error("delivery failed unexpectedly after {} ms", millis, failure);
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
