package dev.clerksync.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.camel.Exchange;
import org.slf4j.MDC;

/**
 * A trace context made current on this thread for a while, with its trace and span ids in the
 * logging context ({@code trace_id}, {@code span_id}: the JSON log lines' {@code mdc}), so that
 * what is logged meanwhile names the span it belongs to. Closed on the thread that opened it.
 */
public final class TraceScope implements AutoCloseable {

    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private static final TraceScope NONE = new TraceScope(null, null, null);

    private final Scope scope;
    private final String previousTraceId;
    private final String previousSpanId;

    private TraceScope(Scope scope, String previousTraceId, String previousSpanId) {
        this.scope = scope;
        this.previousTraceId = previousTraceId;
        this.previousSpanId = previousSpanId;
    }

    /** Makes the context current; nothing when it holds no valid span (traces off). */
    public static TraceScope of(Context context) {
        SpanContext span = context == null ? SpanContext.getInvalid() : Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return NONE;
        }
        TraceScope opened = new TraceScope(context.makeCurrent(), MDC.get(TRACE_ID), MDC.get(SPAN_ID));
        MDC.put(TRACE_ID, span.getTraceId());
        MDC.put(SPAN_ID, span.getSpanId());
        return opened;
    }

    /** Resumes the delivery's trace held by the exchange ({@link Traces#EXCHANGE_CONTEXT}); nothing when it holds none. */
    public static TraceScope of(Exchange exchange) {
        return of(exchange.getProperty(Traces.EXCHANGE_CONTEXT, Context.class));
    }

    @Override
    public void close() {
        if (scope == null) {
            return;
        }
        scope.close();
        restore(TRACE_ID, previousTraceId);
        restore(SPAN_ID, previousSpanId);
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
