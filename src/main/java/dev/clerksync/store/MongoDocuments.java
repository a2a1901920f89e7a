package dev.clerksync.store;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The filters, updates and documents of the MongoDB sink. The ordering guard is in the update's
 * filter (docs/design.md, decision 3): an upsert whose filter does not match a stored user fails with a
 * duplicate key error, which the route reads as {@code stale}. A user already changed by this very
 * delivery matches through {@code lastEventId}, so a retry after a crash between the user write and
 * the audit insert still records {@code applied}.
 */
public final class MongoDocuments {

    static final List<String> PERSONAL_FIELDS = List.of("email", "phoneNumber", "firstName", "lastName",
            "username", "imageUrl", "createdAt", "updatedAt", "data");

    /**
     * The guarded write of an action, {@code [filter, update]} for an upsert, or null when the action
     * changes no record (it is only audited).
     */
    public List<Bson> change(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                             @ExchangeProperty(SyncConstants.ACTION) String action) {
        return switch (SyncAction.named(action)) {
            case UPSERT_USER -> userUpsert(event);
            case DELETE_USER -> userDelete(event);
            case AUDIT_ONLY -> null;
        };
    }

    /** {@code [filter, update]} for {@code user.created} and {@code user.updated}. */
    static List<Bson> userUpsert(ClerkEvent event) {
        UserRecord user = UserRecord.from(event);
        Document filter = new Document("_id", user.id()).append("$or", List.of(
                new Document("lastEventAt", new Document("$lt", date(event.clock()))).append("deletedAt", null),
                new Document("lastEventId", event.svixId())));
        Document fields = new Document("email", user.email())
                .append("phoneNumber", user.phoneNumber())
                .append("firstName", user.firstName())
                .append("lastName", user.lastName())
                .append("username", user.username())
                .append("imageUrl", user.imageUrl())
                .append("createdAt", date(user.createdAt()))
                .append("updatedAt", date(user.updatedAt()))
                .append("lastEventAt", date(event.clock()))
                .append("lastEventId", event.svixId())
                .append("data", StorableJson.toDocument(user.data()));
        return List.of(filter, new Document("$set", fields));
    }

    /** {@code [filter, update]} for {@code user.deleted}: personal fields go, a tombstone stays. */
    static List<Bson> userDelete(ClerkEvent event) {
        String id = StorableJson.withoutNul(event.subjectId());
        Document filter = new Document("_id", id).append("$or", List.of(
                new Document("deletedAt", null),
                new Document("lastEventId", event.svixId())));
        Document unset = new Document();
        PERSONAL_FIELDS.forEach(field -> unset.append(field, ""));
        Document set = new Document("deletedAt", date(event.clock()))
                .append("lastEventAt", date(event.clock()))
                .append("lastEventId", event.svixId());
        return List.of(filter, new Document("$set", set).append("$unset", unset));
    }

    /** The {@code audit_log} document of a delivery, with the outcome the deciding store gave it. */
    public Document auditEntry(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                               @ExchangeProperty(SyncConstants.OUTCOME) String outcome) {
        return new Document("_id", event.svixId())
                .append("eventType", StorableJson.withoutNul(event.type()))
                .append("subjectId", StorableJson.withoutNul(event.subjectId()))
                .append("eventAt", date(event.eventAt()))
                .append("receivedAt", date(event.receivedAt()))
                .append("outcome", outcome)
                .append("payload", StorableJson.toDocument(AuditPayload.of(event)));
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
