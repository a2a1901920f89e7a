package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.InMemoryTraces;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store (H2) keeps each change event's trace context as PostgreSQL does (its Java trigger
 * and migration V12): the relay publishes a delivery's event in the delivery's trace.
 */
class TracesEmbeddedTest {

    static final long T1 = 1_730_000_000_000L;

    @TempDir
    Path dataDir;

    @Test
    void the_embedded_store_publishes_each_event_in_the_trace_of_the_delivery_that_made_it() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        Map<String, String> settings = Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.sync.stores", "postgres",
                "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                "clerk.change-events.exchange", exchange,
                "OTEL_TRACES_EXPORTER", "memory",
                "OTEL_BSP_SCHEDULE_DELAY", "20");
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(exchange);
             RunningService service = RunningService.start(settings)) {
            WebhookClient client = service.client();
            String first = WebhookClient.newMessageId();
            String second = WebhookClient.newMessageId();
            client.send(first, ClerkEvents.user("user.created", "user_h2_traced", T1).json());
            client.send(second, ClerkEvents.user("user.updated", "user_h2_traced", T1 + 1000).firstName("Two").json());

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.firstArrivals("user_h2_traced").size() == 2
                    && InMemoryTraces.exported().stream().filter(s -> s.getName().equals("change event publish")).count() >= 2);
            for (Received event : queue.firstArrivals("user_h2_traced")) {
                String svixId = event.body().get("source_event_id").asText();
                SpanData write = InMemoryTraces.exported().stream()
                        .filter(s -> s.getName().equals("postgres write"))
                        .filter(s -> s.getTraceId().equals(serverSpan(svixId).getTraceId())).findFirst().orElseThrow();
                SpanData publish = InMemoryTraces.exported().stream()
                        .filter(s -> s.getName().equals("change event publish"))
                        .filter(s -> s.getParentSpanId().equals(write.getSpanId())).findFirst().orElseThrow();
                assertThat(publish.getTraceId()).isEqualTo(write.getTraceId());
                assertThat(event.headers().get("traceparent")).isEqualTo("00-" + publish.getTraceId() + "-"
                        + publish.getSpanId() + "-" + publish.getSpanContext().getTraceFlags().asHex());
            }
        }
    }

    private static SpanData serverSpan(String svixId) {
        return InMemoryTraces.exported().stream()
                .filter(s -> svixId.equals(s.getAttributes().get(AttributeKey.stringKey("clerk_sync.svix_id"))))
                .findFirst().orElseThrow();
    }
}
