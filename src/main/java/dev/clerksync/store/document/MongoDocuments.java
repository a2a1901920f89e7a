package dev.clerksync.store.document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.store.AuditPayload;
import dev.clerksync.store.BillingRecord;
import dev.clerksync.store.MembershipRecord;
import dev.clerksync.store.OrganizationRecord;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.StorableJson;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.UserRecord;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The filters, updates and documents of the document store. The ordering guard is in the update's
 * filter (docs/design.md, decision 3): an upsert whose filter does not match a stored record fails with a
 * duplicate key error, which {@link MongoWriter} reads as {@code stale}. A record already changed by this very
 * delivery matches through {@code lastEventId}, so a retry after a crash between the record write and
 * the audit insert still records {@code applied}. What a deletion does to other records (cascades,
 * erasure) is {@link MongoCascades}'.
 */
final class MongoDocuments {

    static final List<String> PERSONAL_FIELDS = List.of("email", "phoneNumber", "firstName", "lastName",
            "username", "imageUrl", "createdAt", "updatedAt", "data");
    static final List<String> ORGANIZATION_FIELDS = List.of("name", "slug", "imageUrl", "createdBy",
            "createdAt", "updatedAt", "data");
    // organizationId and userId stay on a membership's tombstone: the cascades find it by them.
    static final List<String> MEMBERSHIP_FIELDS = List.of("role", "createdAt", "updatedAt", "data");

    static final Document ERASED = Document.parse(AuditPayload.ERASED_JSON);

    private MongoDocuments() {
    }

    /** The collection the action's record lives in, or null when the action changes no record. */
    static String collection(SyncAction action) {
        RecordKind kind = RecordKind.of(action);
        return kind == null ? null : kind.collection();
    }

    /**
     * The guarded write of an action, {@code [filter, update]} (an upsert), or null when the action
     * changes no record (it is only audited). {@code following}: the deciding store applied it.
     * {@code erased}: the deciding store erased its audit entry (its payer's user is deleted): a
     * billing record is then stored without the payer's personal data.
     */
    static List<Bson> change(ClerkEvent event, SyncAction action, boolean following, boolean erased) {
        return switch (action) {
            case UPSERT_USER -> userUpsert(event);
            case UPSERT_ORGANIZATION -> organizationUpsert(event);
            case UPSERT_MEMBERSHIP -> membershipUpsert(event);
            case DELETE_USER -> deletion(event, following, PERSONAL_FIELDS, new Document());
            case DELETE_ORGANIZATION -> deletion(event, following, ORGANIZATION_FIELDS, new Document());
            case DELETE_MEMBERSHIP -> {
                MembershipRecord membership = MembershipRecord.from(event);
                Document owners = new Document("organizationId", membership.organizationId())
                        .append("userId", membership.userId());
                yield deletion(event, following, MEMBERSHIP_FIELDS, owners);
            }
            case UPSERT_SUBSCRIPTION, UPSERT_SUBSCRIPTION_ITEM, UPSERT_PAYMENT_ATTEMPT -> {
                BillingRecord record = BillingRecord.of(event);
                yield upsert(event, record.id(), billingFields(record, erased));
            }
            case AUDIT_ONLY -> null;
        };
    }

    /**
     * The guarded upserts of a subscription's embedded items (CONTRACT §12), each under its own clock,
     * its {@code updated_at}, with the subscription's svix-id: an item already newer here stays
     * (E11000, as for any guarded upsert).
     */
    static List<WriteModel<Document>> embeddedItemUpserts(ClerkEvent event, BillingRecord subscription) {
        List<WriteModel<Document>> upserts = new ArrayList<>();
        for (BillingRecord item : subscription.embeddedItems()) {
            Document filter = new Document("_id", item.id()).append("$or", List.of(
                    new Document("lastEventAt", new Document("$lt", date(item.updatedAt()))),
                    new Document("lastEventId", event.svixId())));
            Document fields = billingFields(item, false)
                    .append("lastEventAt", date(item.updatedAt())).append("lastEventId", event.svixId());
            upserts.add(new UpdateOneModel<>(filter, new Document("$set", fields), new UpdateOptions().upsert(true)));
        }
        return upserts;
    }

    /** A billing record's fields: its columns in camelCase (§12, as §4 does it), times as dates, and its data. */
    private static Document billingFields(BillingRecord record, boolean withoutPayer) {
        Document fields = new Document();
        record.columns().forEach((column, value) -> fields.append(column, value instanceof Instant time ? date(time) : value));
        return fields.append("data", StorableJson.toDocument(withoutPayer ? record.dataWithoutPayer() : record.data()));
    }

    /** {@code $unset} of the payer's personal data in a billing record's data (the erasure of §12). */
    static Document payerErased() {
        Document unset = new Document();
        BillingRecord.PAYER_PERSONAL_FIELDS.forEach(field -> unset.append("data.payer." + field, ""));
        return new Document("$unset", unset);
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

    /**
     * {@code [filter, update]} of a deletion: the record's fields go, a tombstone stays (with
     * {@code kept}). Deciding, only a record not yet deleted (or deleted by this delivery, a retry)
     * matches. Following, the deciding store applied this deletion, the one that stays there for
     * good: it replaces whatever this store holds, also a tombstone that a cascade left here first.
     */
    private static List<Bson> deletion(ClerkEvent event, boolean following, List<String> cleared, Document kept) {
        Document filter = new Document("_id", StorableJson.withoutNul(event.subjectId()));
        if (!following) {
            filter.append("$or", List.of(new Document("deletedAt", null), new Document("lastEventId", event.svixId())));
        }
        return List.of(filter, tombstone(cleared, kept, event.clock(), event.svixId()));
    }

    static Document tombstone(List<String> cleared, Document kept, Instant at, String eventId) {
        Document unset = new Document();
        cleared.forEach(field -> unset.append(field, ""));
        Document set = new Document(kept).append("deletedAt", date(at))
                .append("lastEventAt", date(at))
                .append("lastEventId", eventId);
        return new Document("$set", set).append("$unset", unset);
    }

    /**
     * The {@code audit_log} document of a delivery, with the outcome the deciding store gave it, and
     * erased when the deciding store erased it.
     */
    static Document auditEntry(ClerkEvent event, String outcome, boolean erased) {
        return new Document("_id", event.svixId())
                .append("eventType", StorableJson.withoutNul(event.type()))
                .append("subjectId", StorableJson.withoutNul(event.subjectId()))
                .append("userId", StorableJson.withoutNul(event.userId()))
                .append("eventAt", date(event.eventAt()))
                .append("receivedAt", date(event.receivedAt()))
                .append("outcome", outcome)
                .append("payload", erased ? new Document(ERASED)
                        : StorableJson.toDocument(AuditPayload.of(event)));
    }

    static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }
}
