package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.EmbeddedKafka;
import dev.clerksync.support.InMemoryTraces;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A change event's Kafka record carries the W3C traceparent of its publish span, beside its id, and no other header. */
class TracesKafkaTest {

    static final String TOPIC = "clerk-sync.test.traced-changes";

    @RegisterExtension
    @Order(1)
    static final EmbeddedKafka kafka = new EmbeddedKafka();

    @RegisterExtension
    @Order(2)
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.kafka-bootstrap-servers", kafka.bootstrapServers())
            .with("clerk.change-events.topic", TOPIC)
            .with("OTEL_TRACES_EXPORTER", "memory")
            .with("OTEL_BSP_SCHEDULE_DELAY", "20");

    final WebhookClient client = stack.client();

    @Test
    void the_kafka_record_of_a_traced_delivery_s_event_carries_the_traceparent_of_its_publish_span() {
        client.send(ClerkEvents.user("user.created", "user_kafka_traced", 1_730_000_000_000L).json());

        try (EmbeddedKafka.Consumer consumer = kafka.consumer(TOPIC)) {
            ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(60))
                    .until(consumer::poll, records -> !records.isEmpty()).get(0);
            assertThat(record.key()).isEqualTo("user_kafka_traced");
            assertThat(record.headers().toArray()).extracting(Header::key).containsExactlyInAnyOrder("id", "traceparent");
            String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            SpanData publish = await().atMost(Duration.ofSeconds(30)).until(() -> InMemoryTraces.exported().stream()
                    .filter(s -> s.getName().equals("change event publish")).findFirst(), found -> found.isPresent()).orElseThrow();
            assertThat(traceparent).isEqualTo("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-"
                    + publish.getSpanContext().getTraceFlags().asHex());
        }
    }
}
