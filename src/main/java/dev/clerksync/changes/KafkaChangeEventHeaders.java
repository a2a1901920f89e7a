package dev.clerksync.changes;

import dev.clerksync.trace.Traces;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The Kafka record of a change event carries the header {@code id} (docs/change-events.md), and
 * {@code traceparent} when it is published in its delivery's trace (docs/operations.md "Traces"): the
 * relay's own headers stay inside the service.
 */
public final class KafkaChangeEventHeaders implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !"id".equals(headerName) && !Traces.TRACEPARENT.equals(headerName);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
