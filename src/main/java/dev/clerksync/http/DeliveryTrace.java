package dev.clerksync.http;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.trace.TraceScope;
import dev.clerksync.trace.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Opens a delivery's trace (docs/operations.md "Traces"): the first step of the webhook route starts
 * the request's server span, keeps its context in the exchange ({@link Traces#EXCHANGE_CONTEXT}) for
 * the steps after it, and ends it once the exchange is done, with the answer's status. Not on a
 * thread's context: a request's steps may hand over between threads, and a scope must be closed
 * where it was opened; each step resumes the context itself ({@link TraceScope#of(Exchange)}).
 * Does nothing when traces are off.
 */
public final class DeliveryTrace implements Processor {

    private final Traces traces;

    public DeliveryTrace(Traces traces) {
        this.traces = traces;
    }

    @Override
    public void process(Exchange exchange) {
        if (!traces.on()) {
            return;
        }
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        // The path alone: a query string would make every span's name different.
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        // A caller (a proxy, a test) may send its own trace context; Svix sends none.
        Context parent = Traces.parent(exchange.getMessage().getHeader(Traces.TRACEPARENT, String.class));
        Span span = traces.tracer().spanBuilder(method + " " + path)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("url.path", path)
                .startSpan();
        exchange.setProperty(Traces.EXCHANGE_CONTEXT, parent.with(span));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                end(span, done);
            }
        });
    }

    /** Wraps a step of the route in a span of its own under the delivery's (the signature check's). */
    public Processor around(String name, Processor step) {
        if (!traces.on()) {
            return step;
        }
        return exchange -> {
            Context delivery = exchange.getProperty(Traces.EXCHANGE_CONTEXT, Context.class);
            Span span = traces.tracer().spanBuilder(name).setParent(delivery == null ? Context.root() : delivery).startSpan();
            try (TraceScope ignored = TraceScope.of(Context.current().with(span))) {
                step.process(exchange);
            } catch (Exception e) {
                span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                throw e;
            } finally {
                span.end();
            }
        };
    }

    private static void end(Span span, Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null) {
            span.setAttribute("http.response.status_code", status.longValue());
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        ClerkEvent event = exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class);
        if (event != null) {
            span.setAttribute("clerk_sync.svix_id", event.svixId());
            span.setAttribute("clerk_sync.event_type", event.type());
        }
        span.end();
    }
}
