package dev.clerksync.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What a deletion does to other documents in MongoDB: its cascade over memberships, erasure of a
 * deleted user's audit entries, and the queries by which a membership or an audit entry written
 * while its owner was being deleted finds that deletion and applies it to itself. MongoDB has no
 * transaction here: the deletion's tombstone comes first and these updates after, and every other
 * write checks for the tombstone after it is made (routes/mongodb-sink.camel.yaml).
 */
public final class MongoCascades {

    /**
     * The cascade of a deleted organization or user, for an update of many memberships: deleted as
     * if their own .deleted had come with this clock and svix-id. Deciding alone: every live
     * membership of it. Following: the memberships the deciding store's cascade deleted, whatever
     * this store holds for them (another deletion may have reached one first here, not there).
     * Null for other actions.
     */
    public List<Bson> cascade(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event,
                              @ExchangeProperty(SyncConstants.ACTION) String action,
                              @ExchangeProperty(SyncConstants.CASCADED) List<Map<String, Object>> cascaded) {
        String owner = switch (SyncAction.named(action)) {
            case DELETE_USER -> "userId";
            case DELETE_ORGANIZATION -> "organizationId";
            default -> null;
        };
        if (owner == null) {
            return null;
        }
        Document filter = cascaded == null
                ? new Document(owner, StorableJson.withoutNul(event.subjectId())).append("deletedAt", null)
                : new Document("_id", new Document("$in", cascaded.stream().map(row -> row.get("id")).toList()));
        return List.of(filter, membershipTombstone(event.clock(), event.svixId()));
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
        return List.of(filter, membershipTombstone(deletedAt, owner.getString("lastEventId")));
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
        return List.of(filter, erased());
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

    /**
     * For a batch of followed deliveries ({@link MongoFollower}): the query for these users, of which
     * the follower keeps the deleted ones ({@link #isDeleted}). By {@code _id} alone: the embedded
     * server (mongo-java-server) serves a query from an index only when its keys are exactly the
     * index's, so {@code deletedAt} in the query would scan every user; the answer is at most a
     * batch of small documents ({@link #DELETION_FIELDS}).
     */
    static Document users(Collection<String> userIds) {
        return new Document("_id", new Document("$in", List.copyOf(userIds)));
    }

    /** What the follower reads of a batch's users: whether, and by which delivery, each was deleted. */
    static final Document DELETION_FIELDS = new Document("deletedAt", 1).append("lastEventId", 1);

    static boolean isDeleted(Document user) {
        return user.get("deletedAt") != null;
    }

    /** {@code [filter, update]}: these deliveries' audit entries, erased (an update of many). */
    static List<Bson> ownErasures(Collection<String> svixIds) {
        return List.of(new Document("_id", new Document("$in", List.copyOf(svixIds))), erased());
    }

    /** {@code [filter, update]}: this delivery's audit entry, erased. */
    public List<Bson> ownErasure(@ExchangeProperty(ClerkEventParser.EVENT) ClerkEvent event) {
        return List.of(new Document("_id", event.svixId()), erased());
    }

    // A membership deleted by its organization's or user's deletion: as if its own .deleted had come.
    private static Document membershipTombstone(Instant at, String eventId) {
        return MongoDocuments.tombstone(MongoDocuments.MEMBERSHIP_FIELDS, new Document(), at, eventId);
    }

    private static Document erased() {
        return new Document("$set", new Document("payload", MongoDocuments.ERASED));
    }
}
