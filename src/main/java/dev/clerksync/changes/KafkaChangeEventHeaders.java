package dev.clerksync.changes;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The Kafka record of a change event carries one header, {@code id} (docs/change-events.md): the relay's
 * own headers stay inside the service.
 */
public final class KafkaChangeEventHeaders implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !"id".equals(headerName);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
