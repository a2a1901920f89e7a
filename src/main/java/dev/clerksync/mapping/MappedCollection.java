package dev.clerksync.mapping;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.admin.JsonValues;
import dev.clerksync.store.RecordKind;
import org.bson.Document;

/**
 * A mapping's collection and its writes, as bulk-write items. A mapped document carries a guard of
 * its own, {@code _clerkSync: {eventAt, eventId}}: the clock and svix-id of the change it holds, so
 * that an older change written late (another writer, another replica) meets a duplicate key on the
 * key's unique index instead of overwriting a newer one — the rule of clerk-sync's own documents
 * (docs/design.md, decision 3), and why the key must be {@code _id} or have a unique index.
 */
final class MappedCollection {

    static final String GUARD = "_clerkSync";
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    private final Mapping mapping;
    private final String collection;
    private final String key;
    private final Map<String, Source> fields;

    MappedCollection(Mapping mapping) {
        this.mapping = mapping;
        this.collection = mapping.mongodb().collection();
        this.key = mapping.mongodb().key();
        this.fields = mapping.mongodb().fields();
    }

    Mapping mapping() {
        return mapping;
    }

    String collection() {
        return collection;
    }

    /** The record's document: inserted, or its mapped fields set, unless it holds a newer change. */
    WriteModel<Document> upsert(SourceRow row, Instant clock, String eventId) {
        String id = row.id(mapping.record());
        Document filter = new Document(key, id).append("$or", List.of(
                new Document(GUARD + ".eventAt", new Document("$lt", Date.from(clock))),
                new Document(GUARD + ".eventAt", null),
                new Document(GUARD + ".eventId", eventId)));
        Document set = values(row).append(GUARD, new Document("eventAt", Date.from(clock)).append("eventId", eventId));
        return new UpdateOneModel<>(filter, new Document("$set", set), UPSERT);
    }

    /** Audit: the delivery's document, written once (a retry finds it there and changes nothing). */
    WriteModel<Document> insertOnce(SourceRow row) {
        return new UpdateOneModel<>(new Document(key, row.id(mapping.record())),
                new Document("$setOnInsert", values(row)), UPSERT);
    }

    /** Audit, remap: the entry's document as the projection says, whatever it held. */
    WriteModel<Document> replaceValues(SourceRow row) {
        return new UpdateOneModel<>(new Document(key, row.id(mapping.record())), new Document("$set", values(row)), UPSERT);
    }

    /** These records were deleted: their documents deleted, or kept with the key and every mapped field null. */
    WriteModel<Document> onDelete(List<String> ids) {
        Document filter = new Document(key, new Document("$in", ids));
        if (mapping.mongodb().onDelete() == Mapping.OnDelete.DELETE) {
            return new DeleteManyModel<>(filter);
        }
        Document nulls = new Document();
        fields.keySet().forEach(field -> nulls.append(field, null));
        return nulls.isEmpty() ? null : new UpdateManyModel<>(filter, new Document("$set", nulls));
    }

    /** Audit: these entries' documents lose what they hold of the payload; null when no field reads it. */
    WriteModel<Document> erase(List<String> svixIds) {
        SourceRow marker = SourceRow.fromTable(RecordKind.AUDIT, Map.of("payload", SourceRow.ERASED));
        Document erased = new Document();
        fields.forEach((field, source) -> {
            if (source.readsJson()) {
                erased.append(field, MongoValues.toBson(marker.project(source)));
            }
        });
        if (erased.isEmpty() || svixIds.isEmpty()) {
            return null;
        }
        return new UpdateManyModel<>(new Document(key, new Document("$in", svixIds)), new Document("$set", erased));
    }

    /** The record's document as the admin view shows it (key and mapped fields); null when there is none. */
    ObjectNode read(MongoDatabase database, String id) {
        Document document = database.getCollection(collection).find(new Document(key, id)).first();
        if (document == null) {
            return null;
        }
        ObjectNode shown = JsonNodeFactory.instance.objectNode().set(key, JsonValues.fromBson(document.get(key)));
        fields.keySet().forEach(field -> shown.set(field, JsonValues.fromBson(document.get(field))));
        return shown;
    }

    /** What the record's document should hold, in {@link #read}'s form: the projection, or (a deleted record) the key and nulls. */
    ObjectNode expected(SourceRow record, boolean deleted) {
        String id = record.id(mapping.record());
        ObjectNode shown = JsonNodeFactory.instance.objectNode().put(key, id);
        Document values = values(record);
        fields.keySet().forEach(field -> {
            JsonNode value = deleted ? JsonNodeFactory.instance.nullNode() : JsonValues.fromBson(values.get(field));
            shown.set(field, value);
        });
        return shown;
    }

    private Document values(SourceRow row) {
        Document values = new Document();
        fields.forEach((field, source) -> values.append(field, MongoValues.toBson(row.project(source))));
        return values;
    }
}
