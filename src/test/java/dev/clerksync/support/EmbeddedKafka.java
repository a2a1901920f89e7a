package dev.clerksync.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A one-node Kafka in KRaft mode (broker and controller combined) in this JVM, from Kafka's own
 * test kit. Started when made, so that its address can go into the service's settings; closed after
 * the class's last test. Register it before the stack (lower {@code @Order}) so it closes after it.
 */
public final class EmbeddedKafka implements AfterAllCallback {

    private final KafkaClusterTestKit cluster;

    public EmbeddedKafka() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not start", e);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A consumer of the topic from its beginning, in a group of its own. */
    public Consumer consumer(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return new Consumer(consumer);
    }

    /** What a consumer has received so far; {@link #poll()} adds what has arrived since. */
    public static final class Consumer implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final List<ConsumerRecord<String, String>> received = new ArrayList<>();

        Consumer(KafkaConsumer<String, String> consumer) {
            this.consumer = consumer;
        }

        public synchronized List<ConsumerRecord<String, String>> poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            return List.copyOf(received);
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        cluster.close();
    }
}
