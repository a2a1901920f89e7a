package dev.clerksync.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Which OTEL_* settings turn traces on, and the W3C traceparent both ways. */
class TraceSettingsTest {

    @Test
    void without_otel_settings_traces_are_off_and_the_tracer_records_nothing() {
        Traces traces = Traces.fromSettings(Map.of());
        assertThat(traces).isSameAs(Traces.OFF);
        assertThat(traces.on()).isFalse();
        Span span = traces.tracer().spanBuilder("anything").startSpan();
        assertThat(span.getSpanContext().isValid()).isFalse();
        assertThat(Traces.traceparent(span.getSpanContext())).isNull();
    }

    @Test
    void settings_that_name_nowhere_to_send_spans_leave_traces_off() {
        assertThat(Traces.wanted(Map.of("OTEL_SERVICE_NAME", "clerk-sync-eu"))).isFalse();
        assertThat(Traces.wanted(Map.of("OTEL_TRACES_EXPORTER", "none"))).isFalse();
        assertThat(Traces.wanted(Map.of("OTEL_TRACES_EXPORTER", " "))).isFalse();
        assertThat(Traces.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318", "OTEL_SDK_DISABLED", "TRUE")))
                .isFalse();
    }

    @Test
    void an_exporter_or_an_otlp_endpoint_turns_traces_on() {
        assertThat(Traces.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isTrue();
        assertThat(Traces.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isTrue();
        assertThat(Traces.wanted(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"))).isTrue();
        assertThat(Traces.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "false"))).isTrue();
    }

    @Test
    void an_unknown_exporter_is_refused_by_name() {
        assertThatThrownBy(() -> Traces.fromSettings(Map.of("OTEL_TRACES_EXPORTER", "zipkn")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("zipkn");
    }

    @Test
    void grpc_is_refused_for_want_of_a_grpc_sender_rather_than_exporting_nothing() {
        assertThatThrownBy(() -> Traces.fromSettings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .isInstanceOf(ConfigurationException.class).hasStackTraceContaining("grpc");
    }

    @Test
    void a_traceparent_names_its_span_as_the_parent_and_a_malformed_one_names_none() {
        SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        String traceparent = Traces.traceparent(span);
        assertThat(traceparent).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        SpanContext parent = Span.fromContext(Traces.parent(traceparent)).getSpanContext();
        assertThat(parent.getTraceId()).isEqualTo(span.getTraceId());
        assertThat(parent.getSpanId()).isEqualTo(span.getSpanId());
        assertThat(parent.isRemote()).isTrue();
        assertThat(Span.fromContext(Traces.parent("00-not-a-traceparent")).getSpanContext().isValid()).isFalse();
        assertThat(Span.fromContext(Traces.parent(null)).getSpanContext().isValid()).isFalse();
    }
}
