package dev.clerksync.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.clerksync.store.RecordKind;
import org.bson.Document;
import org.bson.conversions.Bson;

/** The admin view's reads from MongoDB: finds only. */
public final class MongoAdminReads implements AdminStoreReads {

    /** The fields a list shows of each kind, as {@link SqlAdminReads}' list statements select them. */
    private static final Map<RecordKind, List<String>> LIST_FIELDS = Map.of(
            RecordKind.USER, List.of("_id", "email", "firstName", "lastName", "username", "createdAt", "updatedAt", "deletedAt"),
            RecordKind.ORGANIZATION, List.of("_id", "name", "slug", "createdBy", "createdAt", "updatedAt", "deletedAt"));
    /** The fields whose text a search looks into, besides the exact id. */
    private static final Map<RecordKind, List<String>> SEARCHED_FIELDS = Map.of(
            RecordKind.USER, List.of("email", "username", "firstName", "lastName"),
            RecordKind.ORGANIZATION, List.of("name", "slug"));

    private final MongoDatabase database;
    private final boolean embedded;
    private final String label;

    /**
     * @param embedded whether this is the embedded MongoDB-wire server
     * @param label    what the store is, for people ("MongoDB", "embedded MongoDB (./data)")
     */
    public MongoAdminReads(MongoDatabase database, boolean embedded, String label) {
        this.database = database;
        this.embedded = embedded;
        this.label = label;
    }

    @Override
    public String name() {
        return "mongodb";
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String engine() {
        return embedded ? "embedded-mongodb" : "mongodb";
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
            for (Document entry : database.getCollection(RecordKind.AUDIT.collection()).find(query)
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
        return asJson(first(RecordKind.AUDIT.collection(), eventId));
    }

    @Override
    public ObjectNode record(RecordKind kind, String id) {
        return asJson(first(kind.collection(), id));
    }

    @Override
    public ObjectNode comparable(RecordKind kind, String id) {
        Document document = first(kind.collection(), id);
        return document == null ? null : inColumnNames(document);
    }

    @Override
    public List<ObjectNode> memberships(RecordKind kind, String id) {
        String field = kind == RecordKind.USER ? "userId" : "organizationId";
        List<ObjectNode> memberships = new ArrayList<>();
        try {
            for (Document membership : database.getCollection(RecordKind.MEMBERSHIP.collection())
                    .find(Filters.eq(field, id)).sort(Sorts.ascending("_id"))) {
                memberships.add(inColumnNames(membership));
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return memberships;
    }

    @Override
    public List<ObjectNode> billing(RecordKind kind, String id) {
        String field = kind == RecordKind.USER ? "userId" : "organizationId";
        List<ObjectNode> records = new ArrayList<>();
        try {
            for (RecordKind billing : RecordKind.billing()) {
                for (Document record : database.getCollection(billing.collection()).find(Filters.eq(field, id))
                        .projection(new Document("status", 1).append("updatedAt", 1)).sort(Sorts.ascending("_id"))) {
                    ObjectNode row = JsonValues.object().put("kind", billing.label());
                    row.setAll(inColumnNames(record));
                    records.add(row);
                }
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return records;
    }

    @Override
    public List<ObjectNode> records(RecordKind kind, RecordSearch search, int count) {
        List<String> fields = LIST_FIELDS.get(kind);
        if (fields == null) {
            throw new IllegalArgumentException("no list of " + kind.label() + "s");
        }
        List<Bson> conditions = new ArrayList<>();
        if (search.after() != null) {
            conditions.add(Filters.lt("_id", search.after()));
        }
        if (search.q() != null) {
            List<Bson> matches = new ArrayList<>();
            matches.add(Filters.eq("_id", search.q()));
            Pattern contains = Pattern.compile(Pattern.quote(search.q()), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            SEARCHED_FIELDS.get(kind).forEach(field -> matches.add(Filters.regex(field, contains)));
            if (kind == RecordKind.USER) {
                matches.add(fullNameHolds(search.lowerQ()));
            }
            conditions.add(Filters.or(matches));
        }
        Bson query = conditions.isEmpty() ? new Document() : Filters.and(conditions);
        List<ObjectNode> records = new ArrayList<>();
        try {
            for (Document document : database.getCollection(kind.collection()).find(query)
                    .projection(Projections.include(fields)).sort(Sorts.descending("_id")).limit(count)) {
                ObjectNode record = JsonValues.object();
                // every listed field, null when the document lacks it, as a row has every column
                fields.forEach(field -> record.set(JsonValues.columnName(field), JsonValues.fromBson(document.get(field))));
                records.add(record);
            }
        } catch (RuntimeException e) {
            throw new StoreReadException(name(), e);
        }
        return records;
    }

    /** "first last", lower-cased, holds the text: the relational list's full-name match. */
    private static Bson fullNameHolds(String lowerText) {
        Document fullName = new Document("$concat", List.of(
                new Document("$ifNull", List.of("$firstName", "")), " ", new Document("$ifNull", List.of("$lastName", ""))));
        Document position = new Document("$indexOfCP", List.of(new Document("$toLower", fullName), lowerText));
        return Filters.expr(new Document("$gte", List.of(position, 0)));
    }

    @Override
    public Map<String, Long> outcomesSince(Instant since) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            for (String outcome : List.of("applied", "stale", "ignored")) {
                long count = database.getCollection(RecordKind.AUDIT.collection()).countDocuments(
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
