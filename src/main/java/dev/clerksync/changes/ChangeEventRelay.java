package dev.clerksync.changes;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.trace.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The small decisions of routes/change-events.camel.yaml, one poll at a time: which of the polled
 * events may go now, and each event's body and headers.
 *
 * <p>Order per record holds because a poll reads pending events in position order (a record's
 * later seq always has a higher position) and, once one event of a record fails, skips that
 * record's later events until the next poll; a destination that is unavailable ends the poll.
 *
 * <p>Traced, an event made by a traced delivery is published in that delivery's trace: a span of
 * its own ({@code change event publish}) under the span that decided the delivery, whose
 * traceparent the event row holds (db/migration V12), and that span's traceparent in the
 * destinations' headers.
 */
public final class ChangeEventRelay {

    static final String POLL = "changeEventsPoll";
    /** The exchange property holding the event's publish span, ended by {@link #finish}. */
    static final String SPAN = "changeEventSpan";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one poll has learnt: shared by the split's copies of the exchange through the property. */
    static final class Poll {
        final Set<String> held = new HashSet<>();
        boolean destinationDown;
    }

    private final Traces traces;

    public ChangeEventRelay(Traces traces) {
        this.traces = traces;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(POLL, new Poll());
    }

    /** Whether this polled event (the split's body, a row) may be published now. */
    public boolean due(Exchange exchange) {
        Poll poll = exchange.getProperty(POLL, Poll.class);
        Map<?, ?> row = exchange.getMessage().getBody(Map.class);
        return !poll.destinationDown && !poll.held.contains(text(row, "subject"));
    }

    /** The row becomes the event of docs/change-events.md: body JSON, and headers for the destinations. */
    public void prepare(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Map<?, ?> row = message.getBody(Map.class);
        JsonNode data = JSON.readTree(text(row, "data"));
        ObjectNode body = JSON.createObjectNode();
        body.put("id", text(row, "id"));
        body.put("type", text(row, "type"));
        body.put("subject", text(row, "subject"));
        body.put("seq", number(row, "seq"));
        // The record's own clock, formatted as in data: the trigger wrote occurred_at from it.
        body.set("occurred_at", data.get("last_event_at"));
        body.put("source_event_id", text(row, "source_event_id"));
        body.set("changed", changed(text(row, "changed"), data));
        body.set("data", data);
        message.setHeader("changeEventPosition", number(row, "position"));
        message.setHeader("changeEventId", text(row, "id"));
        message.setHeader("changeEventType", text(row, "type"));
        message.setHeader("changeEventSubject", text(row, "subject"));
        message.setHeader("changeEventSeq", number(row, "seq"));
        message.setHeader("changeEventAttempts", number(row, "attempts") + 1);
        message.setBody(JSON.writeValueAsString(body));
        String made = text(row, "traceparent");
        if (traces.on() && made != null) {
            Span span = traces.tracer().spanBuilder("change event publish")
                    .setParent(Traces.parent(made))
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("clerk_sync.change_event.id", text(row, "id"))
                    .setAttribute("clerk_sync.change_event.type", text(row, "type"))
                    .startSpan();
            exchange.setProperty(SPAN, span);
            message.setHeader(Traces.TRACEPARENT, Traces.traceparent(span.getSpanContext()));
        }
    }

    /** After the event's destinations, published or not: ends its publish span, if it has one. */
    public void finish(Exchange exchange) {
        Span span = exchange.getProperty(SPAN, Span.class);
        if (span == null) {
            return;
        }
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }

    /**
     * The columns the trigger found altered (db/migration/postgresql/V8, H2ChangedColumns). An event
     * written before that migration has none: every column set, so that a consumer looks at it
     * rather than skip it.
     */
    private static JsonNode changed(String written, JsonNode data) throws Exception {
        if (written != null) {
            return JSON.readTree(written);
        }
        ArrayNode set = JSON.createArrayNode();
        data.properties().stream().filter(column -> !column.getValue().isNull()).map(Map.Entry::getKey).sorted()
                .forEach(set::add);
        return set;
    }

    /** This event failed: its record's later events wait for the next poll. */
    public void holdSubject(Exchange exchange) {
        exchange.getProperty(POLL, Poll.class).held.add(exchange.getMessage().getHeader("changeEventSubject", String.class));
    }

    /** A destination is down: nothing more this poll. */
    public void stopPoll(Exchange exchange) {
        exchange.getProperty(POLL, Poll.class).destinationDown = true;
    }

    private static String text(Map<?, ?> row, String column) {
        Object value = value(row, column);
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }

    private static long number(Map<?, ?> row, String column) {
        return ((Number) value(row, column)).longValue();
    }

    /** Column labels come back lower case from PostgreSQL and upper case from H2. */
    private static Object value(Map<?, ?> row, String column) {
        return row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase(Locale.ROOT));
    }
}
