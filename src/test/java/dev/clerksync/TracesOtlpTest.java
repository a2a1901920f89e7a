package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OtlpReceiver;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Traces end to end: the service, configured by the standard OTEL_* variables only (an OTLP endpoint
 * and a service name), sends its spans over OTLP/HTTP in protobuf to a real receiver started by the
 * test, which decodes them as a collector would.
 */
class TracesOtlpTest {

    static final long T1 = 1_730_000_000_000L;

    // Before the stack: extensions close in reverse order, so the receiver outlives the service.
    @RegisterExtension
    @Order(1)
    static final OtlpReceiver receiver = new OtlpReceiver();

    @RegisterExtension
    @Order(2)
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
            .with("OTEL_SERVICE_NAME", "clerk-sync-otlp-test")
            .with("OTEL_BSP_SCHEDULE_DELAY", "50");

    final WebhookClient client = stack.client();

    @Test
    void a_delivery_reaches_an_otlp_http_receiver_as_one_trace_of_the_named_service() {
        String svixId = WebhookClient.newMessageId();
        assertThat(client.send(svixId, ClerkEvents.user("user.created", "user_otlp", T1).json()).field("status"))
                .isEqualTo("applied");

        Span server = await().atMost(Duration.ofSeconds(30)).until(() -> spans().stream()
                .filter(span -> svixId.equals(attribute(span, "clerk_sync.svix_id"))).findFirst(), found -> found.isPresent())
                .orElseThrow();
        assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.getName()).isEqualTo("POST " + WebhookClient.PATH);
        assertThat(server.getParentSpanId().isEmpty()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spans())
                .filteredOn(span -> span.getTraceId().equals(server.getTraceId()))
                .filteredOn(span -> span.getParentSpanId().equals(server.getSpanId()))
                .extracting(Span::getName)
                .contains("verify", "postgres write"));
        assertThat(receiver.refused()).isEmpty();
        assertThat(receiver.received()).flatExtracting(ExportTraceServiceRequest::getResourceSpansList)
                .allSatisfy(resource -> assertThat(resource.getResource().getAttributesList())
                        .anySatisfy(attribute -> {
                            assertThat(attribute.getKey()).isEqualTo("service.name");
                            assertThat(attribute.getValue().getStringValue()).isEqualTo("clerk-sync-otlp-test");
                        }));
    }

    static List<Span> spans() {
        return receiver.received().stream()
                .flatMap(request -> request.getResourceSpansList().stream())
                .flatMap((ResourceSpans resource) -> resource.getScopeSpansList().stream())
                .flatMap((ScopeSpans scope) -> scope.getSpansList().stream())
                .toList();
    }

    static String attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(attribute -> attribute.getKey().equals(key))
                .map((KeyValue attribute) -> attribute.getValue().getStringValue()).findFirst().orElse(null);
    }
}
