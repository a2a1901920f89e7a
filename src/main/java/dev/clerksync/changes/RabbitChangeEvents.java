package dev.clerksync.changes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.clerksync.trace.Traces;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one change event to RabbitMQ (docs/change-events.md) and returns only once the broker has
 * confirmed it: a channel in confirm mode, and a wait for that confirm after each publish, so the
 * relay marks an event published only when the broker holds it. The connection, which declares the
 * exchange, is opened when the service starts, so that consumers can bind before the first event
 * (contract §9); a broker that is down then, or goes away mid-stream, is a wait, never a failed
 * start: the relay asks for the connection again at each poll ({@link #connect()}).
 */
public final class RabbitChangeEvents extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RabbitChangeEvents.class);

    private final String uri;
    private final String exchange;
    private final long confirmTimeoutMs;
    private Connection connection;
    private Channel channel;
    /** Whether the broker was found unreachable since the last connection: said once, not at every poll. */
    private boolean unreachableSaid;

    public RabbitChangeEvents(String uri, String exchange, long confirmTimeoutMs) {
        this.uri = uri;
        this.exchange = exchange;
        this.confirmTimeoutMs = confirmTimeoutMs;
    }

    /**
     * Called from routes/change-events.camel.yaml with the event's JSON as the body; {@code traceparent}
     * (W3C) when the event is published in its delivery's trace.
     */
    public synchronized void publish(String body, @Header("changeEventId") String id, @Header("changeEventType") String type,
            @Header("changeEventSubject") String subject, @Header("changeEventSeq") long seq,
            @Header(Traces.TRACEPARENT) String traceparent)
            throws DestinationUnavailableException, EventRefusedException {
        Channel open = channel();
        Map<String, Object> headers = new HashMap<>(Map.of("type", type, "subject", subject, "seq", seq));
        if (traceparent != null) {
            headers.put(Traces.TRACEPARENT, traceparent);
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .messageId(id)
                .contentType("application/json")
                .deliveryMode(2)
                .headers(headers)
                .build();
        boolean acked;
        try {
            open.basicPublish(exchange, type, properties, body.getBytes(StandardCharsets.UTF_8));
            acked = open.waitForConfirms(confirmTimeoutMs);
        } catch (IOException | TimeoutException | RuntimeException e) {
            reset();
            throw new DestinationUnavailableException("RabbitMQ did not confirm event " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset();
            throw new DestinationUnavailableException("interrupted waiting for RabbitMQ's confirm of event " + id, e);
        }
        if (!acked) {
            throw new EventRefusedException("RabbitMQ refused event " + id + " (" + type + " " + subject + " seq " + seq + ")");
        }
    }

    /**
     * Opens the connection and declares the exchange, unless they are open already: at start-up and
     * at each poll of the relay. False when RabbitMQ cannot be reached now.
     */
    public synchronized boolean connect() {
        try {
            channel();
            return true;
        } catch (DestinationUnavailableException e) {
            if (!unreachableSaid) {
                LOG.warn("change events: {}; exchange {} is declared once it can be reached", e.getMessage(), exchange);
                unreachableSaid = true;
            }
            return false;
        }
    }

    @Override
    protected void doStart() {
        connect();
    }

    private Channel channel() throws DestinationUnavailableException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        reset();
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            // The relay reconnects by itself on its next poll; the client's own recovery would
            // replay a half-done publish behind its back.
            factory.setAutomaticRecoveryEnabled(false);
            factory.setConnectionTimeout(5000);
            connection = factory.newConnection("clerk-sync change events");
            channel = connection.createChannel();
            channel.confirmSelect();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            LOG.info("change events: connected to RabbitMQ, exchange {} declared", exchange);
            unreachableSaid = false;
            return channel;
        } catch (Exception e) {
            reset();
            throw new DestinationUnavailableException("RabbitMQ unreachable: " + e.getMessage(), e);
        }
    }

    private void reset() {
        if (connection != null) {
            try {
                connection.abort(2000);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        connection = null;
        channel = null;
    }

    @Override
    protected void doStop() {
        synchronized (this) {
            reset();
        }
    }
}
