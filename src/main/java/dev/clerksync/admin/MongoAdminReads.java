package dev.clerksync.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The admin view's reads from MongoDB: finds only. */
public final class MongoAdminReads implements AdminStoreReads {

    private final MongoDatabase database;

    public MongoAdminReads(MongoDatabase database) {
        this.database = database;
    }

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public boolean healthy() {
        try {
            database.runCommand(new Document("ping", 1));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<AuditEntry> deliveries(DeliveryFilter filter, int count) {
        List<Bson> conditions = new ArrayList<>();
        equal(conditions, "subjectId", filter.subject());
        equal(conditions, "userId", filter.user());
        equal(conditions, "eventType", filter.type());
        equal(conditions, "outcome", filter.outcome());
        if (filter.about() != null) {
            conditions.add(Filters.or(Filters.eq("subjectId", filter.about()), Filters.eq("userId", filter.about())));
        }
        if (filter.before() != null) {
            Date time = Date.from(filter.before().receivedAt());
            conditions.add(Filters.or(Filters.lt("receivedAt", time),
                    Filters.and(Filters.eq("receivedAt", time), Filters.lt("_id", filter.before().eventId()))));
        }
        Bson query = conditions.isEmpty() ? new Document() : Filters.and(conditions);
        List<AuditEntry> entries = new ArrayList<>();
        try {
            for (Document entry : database.getCollection("audit_log").find(query)
                    .projection(Projections.exclude("payload"))
                    .sort(Sorts.descending("receivedAt", "_id")).limit(count)) {
                entries.add(new AuditEntry(entry.getString("_id"), entry.getString("eventType"),
                        entry.getString("subjectId"), entry.getString("userId"), instant(entry, "eventAt"),
                        instant(entry, "receivedAt"), entry.getString("outcome")));
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return entries;
    }

    @Override
    public ObjectNode delivery(String eventId) {
        return asJson(first("audit_log", eventId));
    }

    @Override
    public ObjectNode record(RecordKind kind, String id) {
        return asJson(first(kind.table(), id));
    }

    @Override
    public ObjectNode comparable(RecordKind kind, String id) {
        Document document = first(kind.table(), id);
        return document == null ? null : inColumnNames(document);
    }

    @Override
    public List<ObjectNode> memberships(RecordKind kind, String id) {
        String field = kind == RecordKind.USER ? "userId" : "organizationId";
        List<ObjectNode> memberships = new ArrayList<>();
        try {
            for (Document membership : database.getCollection("organization_memberships")
                    .find(Filters.eq(field, id)).sort(Sorts.ascending("_id"))) {
                memberships.add(inColumnNames(membership));
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return memberships;
    }

    @Override
    public Map<String, Long> outcomesSince(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            for (String outcome : List.of("applied", "stale", "ignored")) {
                long count = database.getCollection("audit_log").countDocuments(
                        Filters.and(Filters.gte("receivedAt", Date.from(since)), Filters.eq("outcome", outcome)));
                if (count > 0) {
                    counts.put(outcome, count);
                }
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return counts;
    }

    private Document first(String collection, String id) {
        try {
            return database.getCollection(collection).find(Filters.eq("_id", id)).first();
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
    }

    private static ObjectNode asJson(Document document) {
        return document == null ? null : (ObjectNode) JsonValues.fromBson(document);
    }

    /** The document with the relational store's column names, so that it compares field by field with the row. */
    private static ObjectNode inColumnNames(Document document) {
        ObjectNode object = JsonValues.object();
        document.forEach((field, value) -> object.set(JsonValues.columnName(field), JsonValues.fromBson(value)));
        return object;
    }

    private static void equal(List<Bson> conditions, String field, String value) {
        if (value != null) {
            conditions.add(Filters.eq(field, value));
        }
    }

    private static Instant instant(Document document, String field) {
        Date date = document.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
