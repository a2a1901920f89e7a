package dev.clerksync.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.store.AuditPayload;
import dev.clerksync.store.RecordKind;
import org.bson.Document;
import org.postgresql.util.PGobject;

/**
 * One record as the mapping sources read it: its own table's columns (texts, instants, JSON trees)
 * and the JSON object that {@code data.<path>} reads. Made from the decider's parameters of a live
 * delivery or from a row read back from clerk-sync's own table (remap, tests), so that both give the
 * same projection ({@link #project}).
 *
 * <p>An audit row is erased when its payload is the erasure marker (contract §5): sources that read
 * the payload then give null ({@link #project}).
 */
public final class SourceRow {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode ERASED = parse(AuditPayload.ERASED_JSON);

    private final Map<String, Object> columns;
    private final JsonNode data;
    private final boolean erased;

    private SourceRow(Map<String, Object> columns, JsonNode data, boolean erased) {
        this.columns = columns;
        this.data = data;
        this.erased = erased;
    }

    /**
     * A live record from the decider's parameters of a delivery that applied ({@code outcome} and
     * {@code erased} matter for audit rows only).
     */
    public static SourceRow fromParameters(RecordKind kind, Map<String, Object> parameters, String outcome, boolean erased) {
        Map<String, Object> columns = new HashMap<>();
        for (String column : SourceColumns.of(kind)) {
            columns.put(column, normalize(parameters.get(SourceColumns.parameterName(column))));
        }
        if (kind == RecordKind.AUDIT) {
            columns.put("outcome", outcome);
            if (erased) {
                columns.put("payload", ERASED);
            }
        } else if (erased && parameters.containsKey("dataErased")) {
            // A billing record of a deleted payer is stored without the payer's personal data (contract §12).
            columns.put("data", normalize(parameters.get("dataErased")));
        }
        return of(kind, columns);
    }

    /** A row of clerk-sync's own table, as JDBC gives it (column names in lower case). */
    public static SourceRow fromTable(RecordKind kind, Map<String, Object> row) {
        Map<String, Object> columns = new HashMap<>();
        for (String column : SourceColumns.of(kind)) {
            columns.put(column, normalize(row.get(column)));
        }
        return of(kind, columns);
    }

    /**
     * A record as the admin view reads it from either store, in the relational store's column names
     * (times as ISO-8601 text, JSON as trees): the same source row as {@link #fromTable} gives.
     */
    public static SourceRow fromJson(RecordKind kind, JsonNode record) {
        Map<String, Object> columns = new HashMap<>();
        for (String column : SourceColumns.of(kind)) {
            JsonNode value = record.get(column);
            if (value == null || value.isNull()) {
                continue;
            }
            if (column.equals(SourceColumns.json(kind))) {
                columns.put(column, value);
            } else if (column.endsWith("_at") && value.isTextual()) {
                columns.put(column, Instant.parse(value.textValue()));
            } else {
                columns.put(column, JSON.convertValue(value, Object.class));
            }
        }
        return of(kind, columns);
    }

    private static SourceRow of(RecordKind kind, Map<String, Object> columns) {
        Object raw = columns.get(SourceColumns.json(kind));
        JsonNode json = raw instanceof String text ? parse(text) : (JsonNode) raw;
        columns.put(SourceColumns.json(kind), json);
        boolean erased = kind == RecordKind.AUDIT && ERASED.equals(json);
        JsonNode data = json;
        if (kind == RecordKind.AUDIT && json != null && !erased) {
            // A delivery's payload is the event; a backfilled one's, the object itself (AuditPayload).
            String type = (String) columns.get("event_type");
            data = type != null && type.endsWith(AuditPayload.BACKFILLED) ? json : json.get("data");
        }
        return new SourceRow(columns, erased ? null : data, erased);
    }

    /**
     * The value a source gives for this record: the one projection of a record that every target
     * and both stores write. Erased (an audit row of a deleted user): a source that reads the payload
     * gives the erasure marker when it is the payload itself, null otherwise.
     */
    Object project(Source source) {
        if (erased && source.readsJson()) {
            return source instanceof Source.Column ? ERASED : null;
        }
        return source.valueIn(this);
    }

    Object column(String name) {
        return columns.get(name);
    }

    JsonNode data() {
        return data;
    }

    boolean erased() {
        return erased;
    }

    /** The record's key value: its Clerk id, or for audit its svix-id. */
    String id(RecordKind kind) {
        return (String) columns.get(kind.idColumn());
    }

    /** Times as instants, JSON as trees (also JSON text: the parameters hold jsonb as text). */
    private static Object normalize(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp time) {
            return time.toInstant();
        }
        if (value instanceof byte[] bytes) {
            return parse(new String(bytes, StandardCharsets.UTF_8));
        }
        if (value instanceof Document document) {
            return parse(document.toJson());
        }
        if (value instanceof PGobject json) {
            return json.getValue() == null ? null : parse(json.getValue());
        }
        return value;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
