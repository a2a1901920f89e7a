package dev.clerksync.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.StoreOutcomes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a delivery from what the stores did: 200 only when every store holds the effect
 * (contract §5), and then {@code duplicate} only when every store already had it. A store that
 * failed turns the whole answer into a 503 so that Svix retries. Logs one line per delivery.
 */
public final class DeliveryResponder implements Processor {

    static final Logger DELIVERIES = LoggerFactory.getLogger("clerk-sync.delivery");

    /** When the stores disagree (one store missed an earlier event), the most telling answer wins. */
    private static final List<String> PRECEDENCE = List.of("applied", "stale", "ignored", "duplicate");

    private final DeliveryMetrics metrics;

    public DeliveryResponder(DeliveryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws StoreUnavailableException {
        ClerkEvent event = exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class);
        Map<String, Throwable> failures = exchange.getProperty(StoreOutcomes.FAILURES, Map.class);
        if (failures != null && !failures.isEmpty()) {
            throw new StoreUnavailableException(failures.keySet(), failures.values().iterator().next());
        }
        Map<String, String> outcomes = exchange.getProperty(StoreOutcomes.OUTCOMES, Map.class);
        String status = combined(outcomes);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("id", event.svixId());
        body.put("type", event.type());
        JsonResponses.respond(exchange, 200, body);
        metrics.delivered(event.type(), status);

        DELIVERIES.info("delivery svix_id={} type={} subject={} outcome={} duration_ms={}",
                event.svixId(), JsonResponses.loggable(event.type()), JsonResponses.loggable(event.subjectId()),
                status, elapsedMillis(exchange));
    }

    static String combined(Map<String, String> outcomes) {
        for (String candidate : PRECEDENCE) {
            if (outcomes.containsValue(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no store reported an outcome: " + outcomes);
    }

    static long elapsedMillis(Exchange exchange) {
        return exchange.getClock().elapsed();
    }
}
