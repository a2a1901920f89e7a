package dev.clerksync.support;

import java.util.List;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The SDK's in-memory span exporter under the exporter name {@code memory}, so that a service started
 * with {@code OTEL_TRACES_EXPORTER=memory} is configured by its OTEL_* settings alone, as in
 * production, and a test reads what it exported. Registered in
 * META-INF/services/io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
 * each service gets an exporter of its own (the SDK shuts it down with the service).
 */
public final class InMemoryTraces implements ConfigurableSpanExporterProvider {

    private static volatile InMemorySpanExporter latest;

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        latest = exporter;
        return exporter;
    }

    @Override
    public String getName() {
        return "memory";
    }

    /** The spans exported so far by the service started last. */
    public static List<SpanData> exported() {
        InMemorySpanExporter exporter = latest;
        return exporter == null ? List.of() : exporter.getFinishedSpanItems();
    }
}
