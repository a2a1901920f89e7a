package dev.clerksync.http;

import java.time.Duration;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times each store's part of a delivery, each attempt on its own: every message the routes send to
 * a store route ({@code direct:<store>-decide} or {@code direct:<store>-follow}, routes/) is one
 * write to that store, failed when it comes back with an exception.
 */
public final class StoreWriteTimer extends EventNotifierSupport {

    private static final String DIRECT = "direct://";
    private static final String[] ROLES = {"-decide", "-follow"};

    private final DeliveryMetrics metrics;

    public StoreWriteTimer(DeliveryMetrics metrics) {
        this.metrics = metrics;
        // Only "sent" events carry the time taken, and Camel times a send only when a notifier took
        // its "sending" event: leave every other kind of event uncreated.
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return (event instanceof ExchangeSendingEvent sending && store(sending.getEndpoint()) != null)
                || (event instanceof ExchangeSentEvent sent && store(sent.getEndpoint()) != null);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent) {
            metrics.storeWrite(store(sent.getEndpoint()), Duration.ofMillis(sent.getTimeTaken()),
                    sent.getExchange().getException() != null);
        }
    }

    /** The store a store route's endpoint names, or null for any other endpoint. */
    static String store(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        if (!uri.startsWith(DIRECT)) {
            return null;
        }
        for (String role : ROLES) {
            if (uri.endsWith(role)) {
                return uri.substring(DIRECT.length(), uri.length() - role.length());
            }
        }
        return null;
    }
}
