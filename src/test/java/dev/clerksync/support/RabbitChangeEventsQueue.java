package dev.clerksync.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * A consumer of the service's change events on the RabbitMQ that runs on this machine: a durable
 * queue bound to the exchange with '#', so that it keeps what arrives while the broker restarts
 * (the client's automatic recovery reconnects it). Deleted on close.
 */
public final class RabbitChangeEventsQueue implements AutoCloseable {

    public static final String URI = "amqp://guest:guest@127.0.0.1:5672";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as received. */
    public record Received(String routingKey, String messageId, String contentType, Integer deliveryMode,
            Map<String, Object> headers, JsonNode body) {
        public String id() {
            return body.get("id").asText();
        }

        public String subject() {
            return body.get("subject").asText();
        }

        public long seq() {
            return body.get("seq").asLong();
        }
    }

    private final String exchange;
    private final String queue = "clerk-sync-test-" + UUID.randomUUID();
    private final Connection connection;
    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private RabbitChangeEventsQueue(String exchange) throws Exception {
        this.exchange = exchange;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URI);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(500);
        connection = factory.newConnection("clerk-sync test consumer");
        channel = connection.createChannel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, exchange, "#");
        channel.basicConsume(queue, true, (tag, delivery) -> {
            Map<String, Object> headers = new LinkedHashMap<>();
            if (delivery.getProperties().getHeaders() != null) {
                delivery.getProperties().getHeaders().forEach((k, v) -> headers.put(k, v == null ? null : v.toString()));
            }
            received.add(new Received(delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getMessageId(),
                    delivery.getProperties().getContentType(), delivery.getProperties().getDeliveryMode(), headers,
                    JSON.readTree(new String(delivery.getBody(), StandardCharsets.UTF_8))));
        }, tag -> { });
    }

    /** A queue bound to a new exchange of this name (the service declares it alike). */
    public static RabbitChangeEventsQueue on(String exchange) throws Exception {
        return new RabbitChangeEventsQueue(exchange);
    }

    public static String newExchangeName() {
        return "clerk-sync.test." + UUID.randomUUID();
    }

    public List<Received> all() {
        return List.copyOf(received);
    }

    /** The messages about one record, in arrival order. */
    public List<Received> about(String subject) {
        return received.stream().filter(r -> r.subject().equals(subject)).toList();
    }

    /** Each event's first arrival, in arrival order (later copies of an id are duplicates). */
    public List<Received> firstArrivals(String subject) {
        Map<String, Received> first = new LinkedHashMap<>();
        for (Received r : about(subject)) {
            first.putIfAbsent(r.id(), r);
        }
        return new ArrayList<>(first.values());
    }

    public Received last(String subject) {
        return firstArrivals(subject).stream().max(Comparator.comparingLong(Received::seq)).orElseThrow();
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                channel.queueDelete(queue);
                channel.exchangeDelete(exchange);
            }
        } catch (Exception e) {
            // best effort: the queue is the test's own
        } finally {
            connection.abort();
        }
    }
}
