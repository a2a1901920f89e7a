package dev.clerksync.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.clerksync.http.DeliveryMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Collects what each store did with a delivery. Each sink route names its store in the
 * {@value #STORE} header and its outcome in {@value #OUTCOME}; a sink that failed leaves an
 * exception, which is recorded here instead of failing the whole fan-out, so that the response can
 * tell which stores hold the effect.
 */
public final class StoreOutcomes implements AggregationStrategy {

    public static final String STORE = "ClerkSyncStore";
    public static final String OUTCOME = "ClerkSyncStoreOutcome";
    public static final String OUTCOMES = "clerkSyncStoreOutcomes";
    public static final String FAILURES = "clerkSyncStoreFailures";

    /**
     * Records each store's result on the delivery's own exchange and returns that exchange: a failed
     * store's exchange must never become the result, or its failure would escape the fan-out.
     */
    private final DeliveryMetrics metrics;

    public StoreOutcomes(DeliveryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        String store = newExchange.getMessage().getHeader(STORE, "unknown", String.class);
        Throwable failure = newExchange.getException();
        // The fan-out made this copy when it handed the delivery to the store: its age is the store's time.
        metrics.storeWrite(store, Duration.ofMillis(newExchange.getClock().elapsed()), failure != null);
        if (failure != null) {
            mapProperty(inputExchange, FAILURES).put(store, failure);
        } else {
            mapProperty(inputExchange, OUTCOMES).put(store, newExchange.getMessage().getHeader(OUTCOME, String.class));
        }
        return inputExchange;
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("the fan-out passes the delivery's exchange: use the three-argument form");
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> mapProperty(Exchange exchange, String name) {
        return (Map<String, V>) exchange.getProperties().computeIfAbsent(name, key -> new LinkedHashMap<>());
    }
}
