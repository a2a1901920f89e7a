package dev.clerksync.store;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The filters, updates and documents of the MongoDB sink. The ordering guard is in the update's
 * filter (DESIGN decision 2): an upsert whose filter does not match a stored record fails with a
 * duplicate key error, which the route reads as {@code stale}. A record already changed by this very
 * delivery matches through {@code lastEventId}, so a retry after a crash between the record write and
 * the audit insert still records {@code applied}.
 */
public final class MongoDocuments {

    static final String USERS = "users";
    static final String ORGANIZATIONS = "organizations";
    static final String MEMBERSHIPS = "organization_memberships";

    static final List<String> PERSONAL_FIELDS = List.of("email", "phoneNumber", "firstName", "lastName",
            "username", "imageUrl", "createdAt", "updatedAt", "data");
    static final List<String> ORGANIZATION_FIELDS = List.of("name", "slug", "imageUrl", "createdBy",
            "createdAt", "updatedAt", "data");
    // organizationId and userId stay on a membership's tombstone: the cascades find it by them.
    static final List<String> MEMBERSHIP_FIELDS = List.of("role", "createdAt", "updatedAt", "data");

    private static final Document ERASED = Document.parse(AuditPayload.ERASED_JSON);

    /** The collection the action's record lives in, or null when the action changes no record. */
    public String collection(@ExchangeProperty(SyncConstants.ACTION) String action) {
        return switch (SyncAction.named(action)) {
            case UPSERT_USER, DELETE_USER -> USERS;
            case UPSERT_ORGANIZATION, DELETE_ORGANIZATION -> ORGANIZATIONS;
            case UPSERT_MEMBERSHIP, DELETE_MEMBERSHIP -> MEMBERSHIPS;
            case AUDIT_ONLY -> null;
        };
    }

    /**
     * The guarded write of an action, {@code [filter, update]} for an upsert, or null when the action
     * changes no record (it is only audited).
     */
    public List<Bson> change(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                             @ExchangeProperty(SyncConstants.ACTION) String action) {
        return switch (SyncAction.named(action)) {
            case UPSERT_USER -> userUpsert(event);
            case UPSERT_ORGANIZATION -> organizationUpsert(event);
            case UPSERT_MEMBERSHIP -> membershipUpsert(event);
            case DELETE_USER -> deletion(event, PERSONAL_FIELDS, new Document());
            case DELETE_ORGANIZATION -> deletion(event, ORGANIZATION_FIELDS, new Document());
            case DELETE_MEMBERSHIP -> {
                MembershipRecord membership = MembershipRecord.from(event);
                yield deletion(event, MEMBERSHIP_FIELDS, new Document("organizationId", membership.organizationId())
                        .append("userId", membership.userId()));
            }
            case AUDIT_ONLY -> null;
        };
    }

    /** {@code [filter, update]} for {@code user.created} and {@code user.updated}. */
    static List<Bson> userUpsert(ClerkEvent event) {
        UserRecord user = UserRecord.from(event);
        Document fields = new Document("email", user.email())
                .append("phoneNumber", user.phoneNumber())
                .append("firstName", user.firstName())
                .append("lastName", user.lastName())
                .append("username", user.username())
                .append("imageUrl", user.imageUrl())
                .append("createdAt", date(user.createdAt()))
                .append("updatedAt", date(user.updatedAt()))
                .append("data", StorableJson.toDocument(user.data()));
        return upsert(event, user.id(), fields);
    }

    static List<Bson> organizationUpsert(ClerkEvent event) {
        OrganizationRecord organization = OrganizationRecord.from(event);
        Document fields = new Document("name", organization.name())
                .append("slug", organization.slug())
                .append("imageUrl", organization.imageUrl())
                .append("createdBy", organization.createdBy())
                .append("createdAt", date(organization.createdAt()))
                .append("updatedAt", date(organization.updatedAt()))
                .append("data", StorableJson.toDocument(organization.data()));
        return upsert(event, organization.id(), fields);
    }

    static List<Bson> membershipUpsert(ClerkEvent event) {
        MembershipRecord membership = MembershipRecord.from(event);
        Document fields = new Document("organizationId", membership.organizationId())
                .append("userId", membership.userId())
                .append("role", membership.role())
                .append("createdAt", date(membership.createdAt()))
                .append("updatedAt", date(membership.updatedAt()))
                .append("data", StorableJson.toDocument(membership.data()));
        return upsert(event, membership.id(), fields);
    }

    /** Newer than the stored record and not deleted, or already written by this delivery (a retry). */
    private static List<Bson> upsert(ClerkEvent event, String id, Document fields) {
        Document filter = new Document("_id", id).append("$or", List.of(
                new Document("lastEventAt", new Document("$lt", date(event.clock()))).append("deletedAt", null),
                new Document("lastEventId", event.svixId())));
        fields.append("lastEventAt", date(event.clock())).append("lastEventId", event.svixId());
        return List.of(filter, new Document("$set", fields));
    }

    /** {@code [filter, update]} of a deletion: the record's fields go, a tombstone stays (with {@code kept}). */
    private static List<Bson> deletion(ClerkEvent event, List<String> cleared, Document kept) {
        String id = StorableJson.withoutNul(event.subjectId());
        Document filter = new Document("_id", id).append("$or", List.of(
                new Document("deletedAt", null),
                new Document("lastEventId", event.svixId())));
        return List.of(filter, tombstone(cleared, kept, event.clock(), event.svixId()));
    }

    private static Document tombstone(List<String> cleared, Document kept, Instant at, String eventId) {
        Document unset = new Document();
        cleared.forEach(field -> unset.append(field, ""));
        Document set = new Document(kept).append("deletedAt", date(at))
                .append("lastEventAt", date(at))
                .append("lastEventId", eventId);
        return new Document("$set", set).append("$unset", unset);
    }

    /**
     * The cascade of a deleted organization or user, for an update of many memberships: every live
     * membership of it, deleted as if its own .deleted had come with this clock and svix-id; null
     * for other actions.
     */
    public List<Bson> cascade(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                              @ExchangeProperty(SyncConstants.ACTION) String action) {
        String owner = switch (SyncAction.named(action)) {
            case DELETE_USER -> "userId";
            case DELETE_ORGANIZATION -> "organizationId";
            default -> null;
        };
        if (owner == null) {
            return null;
        }
        Document filter = new Document(owner, StorableJson.withoutNul(event.subjectId())).append("deletedAt", null);
        return List.of(filter, tombstone(MEMBERSHIP_FIELDS, new Document(), event.clock(), event.svixId()));
    }

    /**
     * For a membership upsert: the query for its user, deleted. A membership of a deleted owner is
     * stale; one written while its owner's deletion cascaded is deleted as the cascade would have.
     */
    public Document deletedUserOfMembership(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event) {
        return deleted(MembershipRecord.from(event).userId());
    }

    /** For a membership upsert: the query for its organization, deleted. */
    public Document deletedOrganizationOfMembership(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event) {
        return deleted(MembershipRecord.from(event).organizationId());
    }

    private static Document deleted(String id) {
        return new Document("_id", id).append("deletedAt", new Document("$ne", null));
    }

    /** {@code [filter, update]}: this live membership, deleted as the cascade of its deleted owner would have. */
    public List<Bson> membershipOfDeletedOwner(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                                              @Body Document owner) {
        Document filter = new Document("_id", StorableJson.withoutNul(event.subjectId())).append("deletedAt", null);
        Instant deletedAt = owner.getDate("deletedAt").toInstant();
        return List.of(filter, tombstone(MEMBERSHIP_FIELDS, new Document(), deletedAt, owner.getString("lastEventId")));
    }

    /**
     * Erasure after {@code user.deleted}: every audit entry about the user but this delivery's keeps
     * its ids, type, times and outcome, and its payload becomes {@code {"erased": true}}. Null for
     * other actions.
     */
    public List<Bson> erasure(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                              @ExchangeProperty(SyncConstants.ACTION) String action) {
        if (SyncAction.named(action) != SyncAction.DELETE_USER) {
            return null;
        }
        Document filter = new Document("userId", StorableJson.withoutNul(event.subjectId()))
                .append("_id", new Document("$ne", event.svixId()));
        return List.of(filter, new Document("$set", new Document("payload", ERASED)));
    }

    /**
     * The query for the event's user, deleted by another delivery than this one; null when the event
     * names no user. An entry audited after that deletion is erased by its own delivery.
     */
    public Document deletedUserQuery(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event) {
        if (event.userId() == null) {
            return null;
        }
        return deleted(StorableJson.withoutNul(event.userId()))
                .append("lastEventId", new Document("$ne", event.svixId()));
    }

    /** {@code [filter, update]}: this delivery's audit entry, erased. */
    public List<Bson> ownErasure(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event) {
        return List.of(new Document("_id", event.svixId()), new Document("$set", new Document("payload", ERASED)));
    }

    /**
     * The {@code audit_log} document of a delivery, with the outcome the deciding store gave it, and
     * erased when the deciding store erased it.
     */
    public Document auditEntry(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                               @ExchangeProperty(SyncConstants.OUTCOME) String outcome,
                               @ExchangeProperty(SyncConstants.ERASED) Boolean erased) {
        return new Document("_id", event.svixId())
                .append("eventType", StorableJson.withoutNul(event.type()))
                .append("subjectId", StorableJson.withoutNul(event.subjectId()))
                .append("userId", StorableJson.withoutNul(event.userId()))
                .append("eventAt", date(event.eventAt()))
                .append("receivedAt", date(event.receivedAt()))
                .append("outcome", outcome)
                .append("payload", Boolean.TRUE.equals(erased) ? new Document(ERASED)
                        : StorableJson.toDocument(AuditPayload.of(event)));
    }

    private static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
