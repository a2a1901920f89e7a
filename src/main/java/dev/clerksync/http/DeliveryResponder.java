package dev.clerksync.http;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.trace.TraceScope;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a delivery that every store now holds. Exactly one request per svix-id answers the outcome
 * the deciding store gave it: the one whose audit insert completed the delivery in the last store.
 * Every other request for that svix-id (a redelivery, or the same delivery racing on another thread
 * or replica) answers {@code duplicate}. Logs one line per delivery.
 */
public final class DeliveryResponder implements Processor {

    static final Logger DELIVERIES = LoggerFactory.getLogger("clerk-sync.delivery");

    static final String DUPLICATE = "duplicate";

    private final DeliveryMetrics metrics;

    public DeliveryResponder(DeliveryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        ClerkEvent event = exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class);
        String status = exchange.getProperty(SyncConstants.COMPLETED, false, Boolean.class)
                ? exchange.getProperty(SyncConstants.OUTCOME, String.class)
                : DUPLICATE;

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("id", event.svixId());
        body.put("type", event.type());
        JsonResponses.respond(exchange, 200, body);
        metrics.delivered(event.type(), status);

        // In the delivery's trace: the line carries its trace and span ids (docs/operations.md "Traces").
        try (TraceScope ignored = TraceScope.of(exchange)) {
            Span.current().setAttribute("clerk_sync.outcome", status);
            DELIVERIES.info("delivery svix_id={} type={} subject={} outcome={} duration_ms={}",
                    event.svixId(), JsonResponses.loggable(event.type()), JsonResponses.loggable(event.subjectId()),
                    status, elapsedMillis(exchange));
        }
    }

    static long elapsedMillis(Exchange exchange) {
        return exchange.getClock().elapsed();
    }
}
