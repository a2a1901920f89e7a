package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.EmbeddedKafka;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories;
import dev.clerksync.support.WebhookClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Change events to Kafka (docs/change-events.md): keyed by subject, header id, seq 1..n per key in order. */
class ChangeEventsKafkaTest {

    static final String TOPIC = "clerk-sync.test.changes";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.kafka-bootstrap-servers", kafka.bootstrapServers())
            .with("clerk.change-events.topic", TOPIC);

    final PostgresDatabase postgres = stack.postgres();
    final WebhookClient client = stack.client();

    @Test
    void a_shuffled_stream_with_duplicates_is_published_keyed_by_subject_in_seq_order_per_key() throws Exception {
        UserHistories histories = UserHistories.generate(77, "user_kafka_", 40, 0.3);
        List<Callable<Integer>> sends = new ArrayList<>();
        for (UserHistories.Delivery delivery : histories.deliveries()) {
            sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
        }
        assertThat(Concurrently.run(16, sends)).allMatch(status -> status >= 200 && status < 300);
        Map<String, Long> applied = ChangeEventsAssertions.appliedChanges(postgres, "user_kafka_%");
        long total = applied.values().stream().mapToLong(Long::longValue).sum();

        try (EmbeddedKafka.Consumer consumer = kafka.consumer(TOPIC)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.poll().stream()
                    .map(r -> header(r, "id")).distinct().count() >= total);
            List<ConsumerRecord<String, String>> records = consumer.poll();

            Map<String, Map<String, Long>> firstSeqsByKey = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                JsonNode body = JSON.readTree(record.value());
                assertThat(record.key()).isEqualTo(body.get("subject").asText());
                assertThat(header(record, "id")).isEqualTo(body.get("id").asText());
                firstSeqsByKey.computeIfAbsent(record.key(), k -> new LinkedHashMap<>())
                        .putIfAbsent(body.get("id").asText(), body.get("seq").asLong());
            }
            applied.forEach((subject, n) -> assertThat(List.copyOf(firstSeqsByKey.get(subject).values()))
                    .as("first arrivals of %s", subject)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList()));
            System.out.printf("kafka: %d records, %d distinct events, %d duplicates%n",
                    records.size(), total, records.size() - total);
            assertThat(records).as("no crash, no outage: each event once").hasSize((int) total);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
