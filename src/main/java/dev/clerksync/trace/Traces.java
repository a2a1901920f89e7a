package dev.clerksync.trace;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The service's traces (docs/operations.md "Traces"): OpenTelemetry's SDK, configured by the standard
 * {@code OTEL_*} variables (the SDK's autoconfigure), when they name somewhere to send spans; else
 * {@link #OFF}, whose tracer is OpenTelemetry's no-op one and which the service's code skips
 * altogether ({@link #on()}). Trace context crosses processes as W3C {@code traceparent}.
 */
public final class Traces extends ServiceSupport {

    /** No exporter, no SDK: spans asked of its tracer record nothing. */
    public static final Traces OFF = new Traces(OpenTelemetry.noop(), false);

    /** The exchange property holding a delivery's trace context (an OpenTelemetry {@link Context}). */
    public static final String EXCHANGE_CONTEXT = "clerkSyncTraceContext";
    /** The W3C header that carries a span's context to the brokers (and in from an HTTP client). */
    public static final String TRACEPARENT = "traceparent";

    private static final String SCOPE = "dev.clerksync";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean on;

    Traces(OpenTelemetry openTelemetry, boolean on) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.on = on;
    }

    /**
     * The traces the {@code OTEL_*} settings ask for ({@code environment}: the variables by their
     * names). On when {@code OTEL_TRACES_EXPORTER} names an exporter other than {@code none}, or an
     * OTLP endpoint is set, unless {@code OTEL_SDK_DISABLED=true}. Unlike the SDK's own defaults,
     * OTLP goes over {@code http/protobuf} and only traces are exported (metrics stay on
     * Prometheus, logs on standard output); the service is named {@code clerk-sync} unless
     * {@code OTEL_SERVICE_NAME} says otherwise. Throws the SDK's {@code ConfigurationException} for
     * settings it cannot use.
     */
    public static Traces fromSettings(Map<String, String> environment) {
        if (!wanted(environment)) {
            return OFF;
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("otel.service.name", "clerk-sync");
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        // The variables as the SDK's properties (OTEL_BSP_SCHEDULE_DELAY: otel.bsp.schedule.delay),
        // so that the settings a test passes instead of the environment are read the same way.
        environment.forEach((name, value) -> properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                // Camel stops this service after the routes: the spans of the last deliveries are flushed then.
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Traces(sdk, true);
    }

    static boolean wanted(Map<String, String> environment) {
        if ("true".equalsIgnoreCase(environment.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
            return false;
        }
        String exporter = environment.getOrDefault("OTEL_TRACES_EXPORTER", "").trim();
        return (!exporter.isEmpty() && !exporter.equalsIgnoreCase("none"))
                || !environment.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !environment.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    }

    /** Whether spans are recorded: when not, callers skip tracing altogether. */
    public boolean on() {
        return on;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The W3C {@code traceparent} of a span's context; null for an invalid one (nothing traced). */
    public static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        Map<String, String> headers = new HashMap<>(2);
        W3C.inject(Context.root().with(Span.wrap(context)), headers, Map::put);
        return headers.get(TRACEPARENT);
    }

    /** The context a {@code traceparent} names, as a parent; the root context for null or a malformed one. */
    public static Context parent(String traceparent) {
        return traceparent == null ? Context.root() : W3C.extract(Context.root(), traceparent, TRACEPARENT_ONLY);
    }

    @Override
    protected void doStop() {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
    }
}
