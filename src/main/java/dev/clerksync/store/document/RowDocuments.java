package dev.clerksync.store.document;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.store.OwnTables;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.StorableJson;
import org.bson.Document;

/**
 * The documents of rows of the relational store, exactly as the live writer leaves them ({@link
 * MongoDocuments}, contract §4): a live record with every field (null ones too) and no {@code
 * deletedAt}; a tombstone with only {@code deletedAt}, {@code lastEventAt}, {@code lastEventId} (and
 * a membership's owners); times as BSON dates; {@code data} and {@code payload} as sub-documents
 * escaped by {@link StorableJson}. For {@code resync}, which rebuilds the follower from the decider.
 */
public final class RowDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private RowDocuments() {
    }

    /** The document of a row of the kind's table (columns by lower-case name). */
    public static Document of(RecordKind kind, Map<String, Object> row) {
        return switch (kind) {
            case USER -> record(row, new Document(), List.of("email", "phone_number", "first_name", "last_name",
                    "username", "image_url"));
            case ORGANIZATION -> record(row, new Document(), List.of("name", "slug", "image_url", "created_by"));
            case MEMBERSHIP -> record(row, new Document("organizationId", row.get("organization_id"))
                    .append("userId", row.get("user_id")), List.of("role"));
            case AUDIT -> new Document("_id", row.get("event_id"))
                    .append("eventType", row.get("event_type"))
                    .append("subjectId", row.get("subject_id"))
                    .append("userId", row.get("user_id"))
                    .append("eventAt", date(row.get("event_at")))
                    .append("receivedAt", date(row.get("received_at")))
                    .append("outcome", row.get("outcome"))
                    .append("payload", json(row.get("payload")));
            case SUBSCRIPTION, SUBSCRIPTION_ITEM, PAYMENT_ATTEMPT -> billing(row);
        };
    }

    /**
     * A billing record's document (contract §12): every column in camelCase (times as dates, the
     * rest as JDBC gives them: text, boolean, bigint), as MongoDocuments writes them live.
     */
    private static Document billing(Map<String, Object> row) {
        Document document = new Document("_id", row.get("id"));
        row.forEach((column, value) -> {
            switch (column) {
                case "id", "change_seq" -> {
                    // the key; the change-event counter is the relational store's own
                }
                case "data" -> document.append("data", json(value));
                default -> document.append(OwnTables.camelCase(column),
                        value instanceof Timestamp || value instanceof OffsetDateTime ? date(value) : value);
            }
        });
        return document;
    }

    /**
     * Replaces the stored document with {@code document} (inserting it where there is none), unless
     * the store holds something newer, which a live delivery wrote after the row was read: then the
     * write fails with a duplicate key, as the live writer's guarded upserts do (decision 3). Newer:
     * a record with a later {@code lastEventAt}; an audit entry erased meanwhile (erasure is final).
     */
    public static WriteModel<Document> replacement(RecordKind kind, Document document) {
        Document filter = new Document("_id", document.get("_id"));
        if (kind == RecordKind.AUDIT) {
            if (!MongoDocuments.ERASED.equals(document.get("payload"))) {
                filter.append("payload.erased", new Document("$ne", true));
            }
        } else {
            filter.append("$or", List.of(new Document("lastEventAt", new Document("$lte", document.get("lastEventAt"))),
                    new Document("lastEventAt", new Document("$exists", false))));
        }
        return new ReplaceOneModel<>(filter, document, UPSERT);
    }

    /** A user's, organization's or membership's document; {@code kept}: what a tombstone keeps beside the clock. */
    private static Document record(Map<String, Object> row, Document kept, List<String> textColumns) {
        Document document = new Document("_id", row.get("id"));
        document.putAll(kept);
        if (row.get("deleted_at") != null) {
            return document.append("deletedAt", date(row.get("deleted_at")))
                    .append("lastEventAt", date(row.get("last_event_at")))
                    .append("lastEventId", row.get("last_event_id"));
        }
        for (String column : textColumns) {
            document.append(OwnTables.camelCase(column), row.get(column));
        }
        return document.append("createdAt", date(row.get("created_at")))
                .append("updatedAt", date(row.get("updated_at")))
                .append("data", json(row.get("data")))
                .append("lastEventAt", date(row.get("last_event_at")))
                .append("lastEventId", row.get("last_event_id"));
    }

    /** A JSON column (PostgreSQL's PGobject, H2's bytes) as the sub-document the live writer stores. */
    private static Document json(Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        try {
            JsonNode tree = JSON.readTree(text);
            return tree.isObject() ? StorableJson.toDocument(tree) : null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON column did not hold JSON", e);
        }
    }

    private static Date date(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp time) {
            return Date.from(time.toInstant());
        }
        if (value instanceof OffsetDateTime time) {
            return Date.from(time.toInstant());
        }
        return Date.from((Instant) value);
    }
}
