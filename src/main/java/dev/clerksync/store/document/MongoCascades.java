package dev.clerksync.store.document;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.StorableJson;
import dev.clerksync.store.SyncAction;
import org.bson.Document;

/**
 * What a deletion does to other documents in MongoDB: its cascade over memberships, erasure of a
 * deleted user's audit entries, and the writes by which a membership or an audit entry written
 * while its owner was being deleted applies that deletion to itself. MongoDB has no transaction
 * here: the deletion's tombstone comes first and these updates after, and every other write checks
 * for the tombstone after it is made ({@link MongoWriter}): every interleaving ends with no live
 * membership and every entry erased.
 */
final class MongoCascades {

    /** What the writer reads of a batch's owners: whether, and by which delivery, each was deleted. */
    static final Document DELETION_FIELDS = new Document("deletedAt", 1).append("lastEventId", 1);

    private MongoCascades() {
    }

    /**
     * The cascade of a deleted organization or user over memberships: deleted as if their own
     * .deleted had come with this clock and svix-id. Deciding alone ({@code cascaded} null): every
     * live membership of it. Following: the memberships the deciding store's cascade deleted,
     * whatever this store holds for them (another deletion may have reached one first here, not
     * there). Null for other actions.
     */
    static WriteModel<Document> cascade(ClerkEvent event, SyncAction action, List<String> cascaded) {
        String owner = switch (action) {
            case DELETE_USER -> "userId";
            case DELETE_ORGANIZATION -> "organizationId";
            default -> null;
        };
        if (owner == null || (cascaded != null && cascaded.isEmpty())) {
            return null;
        }
        Document filter = cascaded == null
                ? new Document(owner, StorableJson.withoutNul(event.subjectId())).append("deletedAt", null)
                : new Document("_id", new Document("$in", cascaded));
        return new UpdateManyModel<>(filter, membershipTombstone(event.clock(), event.svixId()));
    }

    /**
     * The audit entries a {@code user.deleted} erases when MongoDB decides alone: every entry about
     * the user (the writer leaves out the deletion's own), found by {@code userId} alone, then
     * erased by {@code _id} ({@link #ownErasures}) in updates of a bounded size. Following the
     * relational store, the writer erases by id the entries it erased instead: a stand-in
     * (mongo-java-server) keeps no secondary index, so any query by user scans the audit log
     * (bench/RESULTS.md, "Erasure by id"). Null for other actions.
     */
    static Document erasedEntries(ClerkEvent event, SyncAction action) {
        return action == SyncAction.DELETE_USER ? new Document("userId", StorableJson.withoutNul(event.subjectId())) : null;
    }

    /**
     * The payer's erasure after {@code user.deleted} (CONTRACT §12), one update of many per billing
     * collection: the personal data of the payer leaves the data of every billing record of the user.
     * Null for other actions.
     */
    static Map<String, WriteModel<Document>> payerErasure(ClerkEvent event, SyncAction action) {
        if (action != SyncAction.DELETE_USER) {
            return null;
        }
        Map<String, WriteModel<Document>> byCollection = new LinkedHashMap<>();
        for (RecordKind kind : RecordKind.billing()) {
            byCollection.put(kind.collection(), new UpdateManyModel<>(
                    new Document("userId", StorableJson.withoutNul(event.subjectId())), MongoDocuments.payerErased()));
        }
        return byCollection;
    }

    /** These billing records, without their payer's personal data (written about a user deleted meanwhile). */
    static WriteModel<Document> payerErased(Collection<String> ids) {
        return new UpdateManyModel<>(new Document("_id", new Document("$in", List.copyOf(ids))), MongoDocuments.payerErased());
    }

    /**
     * The query for these owners (users or organizations) by {@code _id} alone, of which the writer
     * keeps the deleted ones ({@link #isDeleted}). By {@code _id} alone: the embedded server
     * (mongo-java-server) serves a query from an index only when its keys are exactly the index's,
     * so {@code deletedAt} in the query would scan the collection; the answer is at most a batch of
     * small documents ({@link #DELETION_FIELDS}).
     */
    static Document byIds(Collection<String> ids) {
        return new Document("_id", new Document("$in", List.copyOf(ids)));
    }

    static boolean isDeleted(Document owner) {
        return owner.get("deletedAt") != null;
    }

    /** This live membership, deleted as the cascade of its deleted owner would have. */
    static WriteModel<Document> membershipOfDeletedOwner(String membershipId, Document owner) {
        Document filter = new Document("_id", StorableJson.withoutNul(membershipId)).append("deletedAt", null);
        Instant deletedAt = owner.getDate("deletedAt").toInstant();
        return new UpdateOneModel<>(filter, membershipTombstone(deletedAt, owner.getString("lastEventId")));
    }

    /** These memberships, deleted as their deleted owner's cascade would (a chunk the relational store continued). */
    static WriteModel<Document> membershipsDeleted(List<String> ids, Instant deletedAt, String eventId) {
        return new UpdateManyModel<>(new Document("_id", new Document("$in", ids)), membershipTombstone(deletedAt, eventId));
    }

    /** These audit entries, erased (an update of many, by {@code _id}). */
    static WriteModel<Document> ownErasures(Collection<String> svixIds) {
        return new UpdateManyModel<>(new Document("_id", new Document("$in", List.copyOf(svixIds))), erased());
    }

    // A membership deleted by its organization's or user's deletion: as if its own .deleted had come.
    private static Document membershipTombstone(Instant at, String eventId) {
        return MongoDocuments.tombstone(MongoDocuments.MEMBERSHIP_FIELDS, new Document(), at, eventId);
    }

    private static Document erased() {
        return new Document("$set", new Document("payload", MongoDocuments.ERASED));
    }
}
