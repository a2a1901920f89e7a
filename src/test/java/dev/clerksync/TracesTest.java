package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.InMemoryTraces;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Traces (docs/operations.md "Traces"), with the service configured by OTEL_* settings alone and the
 * SDK's in-memory exporter ({@link InMemoryTraces}): one delivery is one trace, from its request
 * through verification and each store's batch to the answer, and on through the change-event relay
 * to the real RabbitMQ, whose message carries the publish span's W3C traceparent; the delivery's
 * log line names the trace.
 */
class TracesTest {

    static final long T1 = 1_730_000_000_000L;
    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();
    static final Duration EXPORTED = Duration.ofSeconds(30);

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE)
            .with("OTEL_TRACES_EXPORTER", "memory")
            .with("OTEL_BSP_SCHEDULE_DELAY", "20");

    static RabbitChangeEventsQueue queue;
    static final ListAppender<ILoggingEvent> deliveryLines = new ListAppender<>();

    final PostgresDatabase postgres = stack.postgres();
    final WebhookClient client = stack.client();

    @BeforeAll
    static void listen() throws Exception {
        queue = RabbitChangeEventsQueue.on(EXCHANGE);
        deliveryLines.start();
        ((Logger) LoggerFactory.getLogger("clerk-sync.delivery")).addAppender(deliveryLines);
    }

    @AfterAll
    static void stopListening() throws Exception {
        ((Logger) LoggerFactory.getLogger("clerk-sync.delivery")).detachAppender(deliveryLines);
        queue.close();
    }

    @Test
    void one_delivery_is_one_trace_from_its_request_through_both_stores_to_the_published_change_event() {
        String svixId = WebhookClient.newMessageId();
        assertThat(client.send(svixId, ClerkEvents.user("user.created", "user_traced", T1).json()).field("status"))
                .isEqualTo("applied");

        SpanData publish = await().atMost(EXPORTED).until(() -> spanNamed("change event publish",
                s -> "user.changed".equals(s.getAttributes().get(AttributeKey.stringKey("clerk_sync.change_event.type")))
                        && traceOf(svixId).map(server -> server.getTraceId().equals(s.getTraceId())).orElse(false)),
                Optional::isPresent).orElseThrow();
        SpanData server = traceOf(svixId).orElseThrow();
        String trace = server.getTraceId();
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("POST " + WebhookClient.PATH);
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("clerk_sync.outcome"))).isEqualTo("applied");

        SpanData verify = only("verify", trace);
        assertThat(verify.getParentSpanId()).isEqualTo(server.getSpanId());

        // Each store: the delivery's wait is a child of its request, the batch a trace of its own, linked both ways.
        for (String store : List.of("postgres", "mongodb")) {
            SpanData write = only(store + " write", trace);
            assertThat(write.getParentSpanId()).as(store).isEqualTo(server.getSpanId());
            SpanData batch = await().atMost(EXPORTED).until(() -> spanNamed(store + " batch",
                    s -> s.getLinks().stream().anyMatch(link -> link.getSpanContext().getSpanId().equals(write.getSpanId()))),
                    Optional::isPresent).orElseThrow();
            assertThat(batch.getTraceId()).as(store).isNotEqualTo(trace);
            assertThat(batch.getParentSpanContext().isValid()).as(store).isFalse();
            assertThat(batch.getAttributes().get(AttributeKey.longKey("clerk_sync.batch.size"))).as(store).isEqualTo(1L);
            assertThat(write.getLinks()).extracting(LinkData::getSpanContext)
                    .anyMatch(link -> link.getSpanId().equals(batch.getSpanId()) && link.getTraceId().equals(batch.getTraceId()));
        }
        // The relay, polling later: the event is published under the span that decided the change.
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(only("postgres write", trace).getSpanId());
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        Received message = await().atMost(EXPORTED).until(() -> queue.firstArrivals("user_traced"), m -> !m.isEmpty()).get(0);
        assertThat(message.headers()).containsEntry("traceparent",
                "00-" + trace + "-" + publish.getSpanId() + "-" + publish.getSpanContext().getTraceFlags().asHex());
    }

    @Test
    void the_delivery_log_line_carries_the_trace_and_span_ids_of_its_request_in_json() {
        String svixId = WebhookClient.newMessageId();
        client.send(svixId, ClerkEvents.user("user.created", "user_logged", T1).json());

        SpanData server = await().atMost(EXPORTED).until(() -> traceOf(svixId), Optional::isPresent).orElseThrow();
        ILoggingEvent line = deliveryLines.list.stream()
                .filter(event -> event.getFormattedMessage().contains("svix_id=" + svixId)).findFirst().orElseThrow();
        assertThat(line.getMDCPropertyMap())
                .containsEntry("trace_id", server.getTraceId())
                .containsEntry("span_id", server.getSpanId());
        // As logback.xml's JSON appender writes it (LOG_FORMAT=json).
        JsonEncoder json = new JsonEncoder();
        json.setContext(((Logger) LoggerFactory.getLogger("clerk-sync.delivery")).getLoggerContext());
        json.start();
        assertThat(new String(json.encode(line), StandardCharsets.UTF_8))
                .contains("\"trace_id\":\"" + server.getTraceId() + "\"")
                .contains("\"span_id\":\"" + server.getSpanId() + "\"");
    }

    @Test
    void a_rejected_signature_is_traced_with_its_answer_and_a_failed_verify_span() {
        String svixId = WebhookClient.newMessageId();
        Map<String, String> headers = new HashMap<>(client.signedHeaders(svixId, "{}"));
        headers.put("svix-signature", "v1,AAAA");
        assertThat(client.post(WebhookClient.PATH, headers, "{}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(401);

        SpanData verify = await().atMost(EXPORTED).until(() -> spanNamed("verify",
                s -> s.getStatus().getStatusCode() == StatusCode.ERROR), Optional::isPresent).orElseThrow();
        SpanData server = spanNamed("POST " + WebhookClient.PATH, s -> s.getSpanId().equals(verify.getParentSpanId())).orElseThrow();
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(401L);
        assertThat(InMemoryTraces.exported()).filteredOn(s -> s.getTraceId().equals(server.getTraceId()))
                .extracting(SpanData::getName).doesNotContain("postgres write", "mongodb write");
    }

    @Test
    void a_traceparent_sent_with_the_request_is_the_parent_of_the_delivery_s_trace() {
        String svixId = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", "user_traced_upstream", T1).json();
        Map<String, String> headers = new HashMap<>(client.signedHeaders(svixId, payload));
        headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);

        SpanData server = await().atMost(EXPORTED).until(() -> traceOf(svixId), Optional::isPresent).orElseThrow();
        assertThat(server.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
    }

    /** The request span of a delivery, by its svix-id, once exported. */
    static Optional<SpanData> traceOf(String svixId) {
        return spanNamed("POST " + WebhookClient.PATH,
                s -> svixId.equals(s.getAttributes().get(AttributeKey.stringKey("clerk_sync.svix_id"))));
    }

    static Optional<SpanData> spanNamed(String name, Predicate<SpanData> matching) {
        return InMemoryTraces.exported().stream().filter(s -> s.getName().equals(name)).filter(matching).findFirst();
    }

    static SpanData only(String name, String traceId) {
        List<SpanData> found = InMemoryTraces.exported().stream()
                .filter(s -> s.getName().equals(name) && s.getTraceId().equals(traceId)).toList();
        assertThat(found).as(name + " in trace " + traceId).hasSize(1);
        return found.get(0);
    }
}
