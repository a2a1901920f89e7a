package dev.clerksync.store.document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.BillingRecord;
import dev.clerksync.store.CascadeFollower;
import dev.clerksync.store.DecisionRounds;
import dev.clerksync.store.GroupCommit;
import dev.clerksync.store.MembershipRecord;
import dev.clerksync.store.Outcome;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.StorableJson;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.trace.TraceScope;
import io.opentelemetry.api.trace.Tracer;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The document store's one writer, for every action (routes/mongodb-sink.camel.yaml): it follows
 * the relational store's decisions or, as the only store, decides. The deliveries in flight share
 * one round of writes ({@link GroupCommit}), a batch of one being just a batch, and each still gets
 * its own result. The backfill hands it a page at once ({@link #followTogether}).
 *
 * <p>A batch is written in rounds ({@link DecisionRounds}: deliveries that change what another reads
 * keep their order), and a round in steps, each one bulk write per collection (docs/design.md,
 * decision 15):
 * <ol>
 * <li>deciding alone, the membership upserts whose organization or user is deleted are stale (one
 * query per owner collection);</li>
 * <li>the guarded changes: a duplicate key (E11000) means the stored record is as new or newer, or
 * deleted — stale here (decision 3);</li>
 * <li>the embedded items of applied subscriptions, each under its own clock (CONTRACT §12);</li>
 * <li>the deletions' cascades over memberships and, for a user, the erasure of their audit entries
 * and of the payer's personal data in their billing records;</li>
 * <li>memberships written while their owner was being deleted (by another process) are deleted as
 * that cascade would have (one query per owner collection);</li>
 * <li>the audit entries, with the decided outcome: inserting one completes the delivery here; E11000
 * means audited already (another request, or this one before the deliver route's retry,
 * {@value SyncConstants#MONGODB_AUDITED});</li>
 * <li>entries audited while, or after, their user was deleted are erased (one query for the round's
 * users), and so is the payer's personal data in the billing records they wrote.</li>
 * </ol>
 * MongoDB has no transaction here: each step's writes are guarded by themselves, and a crash between
 * two steps is healed by Svix's retry (a change made matches its own {@code lastEventId} again). Any
 * other error of an item fails that delivery alone; a failure of the store fails the batch with the
 * driver's exception itself, which the deliver route's store-retries configuration matches.
 */
public final class MongoWriter implements CascadeFollower {

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private static final Document ID_ONLY = new Document("_id", 1);
    /** How many entries one update of an erasure names at most (a deletion's erasure in MongoDB alone is unbounded). */
    private static final int ERASURE_CHUNK = 10_000;

    private final MongoDatabase database;
    private final GroupCommit<Write> groupCommit;
    /** The mappings' writes (dev.clerksync.mapping), in each round's steps. */
    private Hooks hooks = Hooks.NONE;

    /**
     * {@code writers}: batches written at once. MongoDB holds no lock across a batch's writes, so two
     * never wait for each other.
     */
    public MongoWriter(MongoDatabase database, int writers, int maxBatch, IntConsumer batchSizes) {
        this.database = database;
        this.groupCommit = new GroupCommit<>(this::writeBatch, writers, maxBatch, batchSizes);
    }

    /**
     * What the mappings see of a delivery written in a round; {@code erasureDeferred}: a user's
     * deletion whose erasure the chunks make ({@link #eraseEntries}).
     */
    public record Written(ClerkEvent event, SyncAction action, String outcome, boolean erased, boolean changed,
                          boolean erasureDeferred) {
    }

    /** More writes in each round (the mappings'): a failure fails the round's deliveries, to be retried. */
    public interface Hooks {

        Hooks NONE = new Hooks() {
            @Override
            public void afterChanges(List<Written> round) {
            }

            @Override
            public void afterErasure(List<String> svixIds) {
            }

            @Override
            public void afterCascade(List<String> membershipIds) {
            }
        };

        /** After the round's changes, cascades and tombstones, before its audit entries. */
        void afterChanges(List<Written> round);

        /**
         * These audit entries were erased: their user was deleted while or before they were written,
         * or a chunk of a deferred erasure reached them.
         */
        void afterErasure(List<String> svixIds);

        /** These memberships were deleted by a chunk of a deferred cascade. */
        void afterCascade(List<String> membershipIds);
    }

    /** Traces each delivery's wait and each batch (docs/operations.md "Traces"); set at start-up. */
    public void trace(Tracer tracer) {
        groupCommit.trace(tracer, "mongodb");
    }

    /** Set before the first delivery (start-up). */
    public void hooks(Hooks hooks) {
        this.hooks = hooks;
    }

    /** A delivery to write, and what the writing did. */
    public static final class Write extends GroupCommit.Entry {

        final ClerkEvent event;
        final SyncAction action;
        /** The decided outcome, when following; null when this store decides. */
        final String decided;
        final boolean erased;
        /** The memberships the deciding store's cascade deleted (following a deletion). */
        final List<String> cascaded;
        /** This request inserted the audit entry in an attempt before (the deliver route's retry). */
        final boolean auditedBefore;
        /** Following a user's deletion whose erasure the deciding store left for later (CascadeWork). */
        boolean erasureDeferred;
        /** Following a user's deletion that erased there: the entries it erased; null to find them here. */
        List<String> erasedEntries;
        /** Its record, for a membership: the owners the steps check. */
        final MembershipRecord membership;
        /** Its record, for a billing upsert: a subscription's embedded items are written too. */
        final BillingRecord billing;
        /** What the guarded change did here: applied, stale, or ignored (no record). */
        Outcome change = Outcome.IGNORED;
        boolean audited;
        boolean completed;

        Write(ClerkEvent event, SyncAction action, String decided, boolean erased, List<String> cascaded,
              boolean auditedBefore) {
            this.event = event;
            this.action = action;
            this.decided = decided;
            this.erased = erased;
            this.cascaded = cascaded;
            this.auditedBefore = auditedBefore;
            this.membership = isMembership(action) ? MembershipRecord.from(event) : null;
            this.billing = RecordKind.billing().contains(RecordKind.of(action)) ? BillingRecord.of(event) : null;
        }

        /**
         * An event the relational store decided, to follow (a command's: the backfill's): its
         * outcome, whether its entry was recorded erased, the memberships its cascade deleted.
         */
        public static Write following(ClerkEvent event, SyncAction action, String outcome, boolean erased,
                                      List<String> cascaded, boolean erasureDeferred) {
            Write write = new Write(event, action, outcome, erased, cascaded, false);
            write.erasureDeferred = erasureDeferred;
            return write;
        }

        /** Following a user's deletion: the entries the deciding store erased (null: find them by the user). */
        public Write erasing(List<String> entries) {
            this.erasedEntries = entries;
            return this;
        }

        @Override
        protected Object key() {
            return event.svixId();
        }

        boolean following() {
            return decided != null;
        }

        /** The outcome audited here: the decided one, or this store's own decision. */
        String outcome() {
            return following() ? decided : change.value();
        }

        String collection() {
            return MongoDocuments.collection(action);
        }

        String membershipUserId() {
            return membership.userId();
        }

        String membershipOrganizationId() {
            return membership.organizationId();
        }

        Set<String> exclusiveKeys() {
            Set<String> keys = new HashSet<>();
            keys.add("event:" + event.svixId());
            if (collection() != null) {
                keys.add(collection() + ":" + event.subjectId());
            }
            if (billing != null) {
                billing.embeddedItems().forEach(item -> keys.add(RecordKind.SUBSCRIPTION_ITEM.collection() + ":" + item.id()));
            }
            if (action == SyncAction.DELETE_USER) {
                keys.add("user:" + event.subjectId());
            } else if (action == SyncAction.DELETE_ORGANIZATION) {
                keys.add("organization:" + event.subjectId());
            }
            return keys;
        }

        /** The owners it reads: whether its user (audit entry, membership) or its organization is deleted. */
        Set<String> sharedKeys() {
            Set<String> keys = new HashSet<>();
            if (event.userId() != null && action != SyncAction.DELETE_USER) {
                keys.add("user:" + event.userId());
            }
            if (isMembership(action)) {
                keys.add("user:" + membershipUserId());
                keys.add("organization:" + membershipOrganizationId());
            }
            return keys;
        }
    }

    /**
     * Decides the exchange's delivery here, the only store: sets {@value SyncConstants#OUTCOME} and
     * whether this request completed it ({@value SyncConstants#COMPLETED}).
     */
    public void decide(Exchange exchange) {
        Write write = submit(exchange, null, List.of());
        exchange.setProperty(SyncConstants.OUTCOME, write.outcome());
    }

    /**
     * Follows the exchange's decided delivery ({@value SyncConstants#OUTCOME}, {@value SyncConstants#ERASED},
     * {@value SyncConstants#CASCADED}) and sets whether this request completed it here.
     */
    public void follow(Exchange exchange) {
        String decided = exchange.getProperty(SyncConstants.OUTCOME, String.class);
        if (decided == null) {
            throw new IllegalArgumentException("no decided outcome to follow");
        }
        @SuppressWarnings("unchecked")
        List<String> cascaded = exchange.getProperty(SyncConstants.CASCADED, List.class);
        submit(exchange, decided, cascaded == null ? List.of() : cascaded);
    }

    private Write submit(Exchange exchange, String decided, List<String> cascaded) {
        Write write = new Write(exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class),
                SyncAction.named(exchange.getProperty(SyncConstants.ACTION, String.class)), decided,
                exchange.getProperty(SyncConstants.ERASED, false, Boolean.class), decided == null ? null : cascaded,
                exchange.getProperty(SyncConstants.MONGODB_AUDITED, false, Boolean.class));
        write.erasureDeferred = exchange.getProperty(SyncConstants.ERASURE_DEFERRED, false, Boolean.class);
        @SuppressWarnings("unchecked")
        List<String> erasedEntries = exchange.getProperty(SyncConstants.ERASED_ENTRIES, List.class);
        write.erasing(erasedEntries);
        try (TraceScope ignored = TraceScope.of(exchange)) {
            groupCommit.submit(write);
        } finally {
            // Also when the batch failed after the insert: the retry must know the entry as its own.
            if (write.audited) {
                exchange.setProperty(SyncConstants.MONGODB_AUDITED, true);
            }
        }
        exchange.setProperty(SyncConstants.COMPLETED, write.completed);
        return write;
    }

    /**
     * Follows deliveries together in the caller's thread, outside the queue (a backfill's page, in a
     * process that serves no webhook); throws the first failure.
     */
    public void followTogether(List<Write> writes) {
        writeBatch(writes);
        for (Write write : writes) {
            if (write.failed()) {
                write.rethrow();
            }
        }
    }

    /** A store failure is thrown (GroupCommit fails the unsettled deliveries with it, as it is). */
    void writeBatch(List<Write> batch) {
        for (List<Write> round : DecisionRounds.of(batch, Write::exclusiveKeys, Write::sharedKeys)) {
            writeRound(round);
        }
        for (Write write : batch) {
            if (!write.failed()) {
                write.settle();
            }
        }
    }

    private void writeRound(List<Write> round) {
        staleMembershipsOfDeletedOwners(live(round));
        writeChanges(live(round));
        writeEmbeddedItems(live(round));
        writeCascades(live(round));
        deleteMembershipsOfDeletedOwners(live(round));
        hooks.afterChanges(live(round).stream().map(write -> new Written(write.event, write.action, write.outcome(),
                write.erased, write.change == Outcome.APPLIED, write.erasureDeferred)).toList());
        insertAuditEntries(live(round));
        eraseOwn(live(round));
    }

    /** Deciding alone: a membership of a deleted organization or user is stale, whatever the order of arrival. */
    private void staleMembershipsOfDeletedOwners(List<Write> round) {
        List<Write> deciding = round.stream()
                .filter(write -> !write.following() && write.action == SyncAction.UPSERT_MEMBERSHIP).toList();
        Map<Write, Document> owners = deletedOwners(deciding);
        owners.keySet().forEach(write -> write.change = Outcome.STALE);
    }

    /** The guarded changes, per collection one bulk write; a round holds a record once. */
    private void writeChanges(List<Write> round) {
        Map<String, List<Write>> byCollection = new LinkedHashMap<>();
        Map<Write, WriteModel<Document>> models = new HashMap<>();
        for (Write write : round) {
            boolean toWrite = write.following() ? Outcome.APPLIED.is(write.decided) : write.change != Outcome.STALE;
            if (!toWrite || write.collection() == null) {
                continue;
            }
            try {
                List<Bson> change = MongoDocuments.change(write.event, write.action, write.following(), write.erased);
                models.put(write, new UpdateOneModel<>(change.get(0), change.get(1), UPSERT));
            } catch (RuntimeException e) {
                write.fail(e);
                continue;
            }
            byCollection.computeIfAbsent(write.collection(), c -> new ArrayList<>()).add(write);
        }
        byCollection.forEach((collection, writes) -> {
            MongoBulk bulk = MongoBulk.write(database, collection, writes.stream().map(models::get).toList());
            for (int i = 0; i < writes.size(); i++) {
                Write write = writes.get(i);
                if (bulk.written(i)) {
                    write.change = Outcome.APPLIED;
                } else if (bulk.duplicate(i)) {
                    write.change = Outcome.STALE;
                } else {
                    write.fail(bulk.failureOf(i));
                }
            }
        });
    }

    /**
     * The embedded items of the applied subscriptions, one bulk write: each under its own clock, so
     * that an item already newer here stays (E11000); any other failure fails the round.
     */
    private void writeEmbeddedItems(List<Write> round) {
        List<WriteModel<Document>> items = new ArrayList<>();
        for (Write write : round) {
            if (write.action == SyncAction.UPSERT_SUBSCRIPTION && write.change == Outcome.APPLIED) {
                items.addAll(MongoDocuments.embeddedItemUpserts(write.event, write.billing));
            }
        }
        MongoBulk bulk = MongoBulk.write(database, RecordKind.SUBSCRIPTION_ITEM.collection(), items);
        for (int i = 0; i < items.size(); i++) {
            if (!bulk.written(i) && !bulk.duplicate(i)) {
                throw bulk.failureOf(i);
            }
        }
    }

    /**
     * An applied deletion's cascade over memberships, then, for a user, the erasure of their entries
     * and of the payer's personal data in their billing records (at once also when the relational
     * store left the entries' erasure for later: its own billing records were erased inline).
     */
    private void writeCascades(List<Write> round) {
        List<WriteModel<Document>> memberships = new ArrayList<>();
        List<String> erased = new ArrayList<>();
        Map<String, List<WriteModel<Document>>> payers = new LinkedHashMap<>();
        for (Write write : round) {
            if (write.change != Outcome.APPLIED) {
                continue;
            }
            Map<String, WriteModel<Document>> payer = MongoCascades.payerErasure(write.event, write.action);
            if (payer != null) {
                payer.forEach((collection, model) -> payers.computeIfAbsent(collection, c -> new ArrayList<>()).add(model));
            }
            WriteModel<Document> cascade = MongoCascades.cascade(write.event, write.action, write.cascaded);
            if (cascade != null) {
                memberships.add(cascade);
            }
            erased.addAll(erasedEntries(write));
        }
        throwItemFailures(MongoBulk.write(database, RecordKind.MEMBERSHIP.collection(), memberships), memberships.size());
        List<WriteModel<Document>> erasures = new ArrayList<>();
        for (int from = 0; from < erased.size(); from += ERASURE_CHUNK) {
            erasures.add(MongoCascades.ownErasures(erased.subList(from, Math.min(erased.size(), from + ERASURE_CHUNK))));
        }
        throwItemFailures(MongoBulk.write(database, RecordKind.AUDIT.collection(), erasures), erasures.size());
        payers.forEach((collection, models) -> throwItemFailures(MongoBulk.write(database, collection, models), models.size()));
    }

    /**
     * The audit entries an applied user deletion erases here, but its own: those the deciding store
     * erased (by id), or, deciding alone, those found by the user ({@link MongoCascades#erasedEntries}).
     * None for other actions, or when the erasure is left to the chunks after the answer.
     */
    private List<String> erasedEntries(Write write) {
        if (write.erasureDeferred || write.action != SyncAction.DELETE_USER) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        if (write.erasedEntries != null) {
            entries.addAll(write.erasedEntries);
        } else {
            database.getCollection(RecordKind.AUDIT.collection()).find(MongoCascades.erasedEntries(write.event, write.action))
                    .projection(ID_ONLY).forEach(entry -> entries.add(entry.getString("_id")));
        }
        entries.remove(write.event.svixId());
        return entries;
    }

    /** A membership written while its owner's deletion cascaded: deleted as that cascade would have. */
    private void deleteMembershipsOfDeletedOwners(List<Write> round) {
        List<Write> written = round.stream()
                .filter(write -> write.action == SyncAction.UPSERT_MEMBERSHIP && write.change == Outcome.APPLIED).toList();
        List<WriteModel<Document>> tombstones = new ArrayList<>();
        deletedOwners(written).forEach((write, owner) ->
                tombstones.add(MongoCascades.membershipOfDeletedOwner(write.event.subjectId(), owner)));
        throwItemFailures(MongoBulk.write(database, RecordKind.MEMBERSHIP.collection(), tombstones), tombstones.size());
    }

    /** For each membership delivery whose user (first) or organization is deleted: that owner. */
    private Map<Write, Document> deletedOwners(List<Write> memberships) {
        Map<Write, Document> found = new LinkedHashMap<>();
        if (memberships.isEmpty()) {
            return found;
        }
        Map<String, Document> users = deleted(RecordKind.USER.collection(),
                memberships.stream().map(Write::membershipUserId).toList());
        Map<String, Document> organizations = deleted(RecordKind.ORGANIZATION.collection(),
                memberships.stream().map(Write::membershipOrganizationId).toList());
        for (Write write : memberships) {
            Document owner = users.get(write.membershipUserId());
            if (owner == null) {
                owner = organizations.get(write.membershipOrganizationId());
            }
            if (owner != null) {
                found.put(write, owner);
            }
        }
        return found;
    }

    /** Of these ids, the deleted ones in the collection, by id. */
    private Map<String, Document> deleted(String collection, List<String> ids) {
        Set<String> distinct = new HashSet<>();
        ids.forEach(id -> {
            if (id != null) {
                distinct.add(StorableJson.withoutNul(id));
            }
        });
        Map<String, Document> deleted = new HashMap<>();
        if (distinct.isEmpty()) {
            return deleted;
        }
        for (Document owner : database.getCollection(collection).find(MongoCascades.byIds(distinct))
                .projection(MongoCascades.DELETION_FIELDS)) {
            if (MongoCascades.isDeleted(owner)) {
                deleted.put(owner.getString("_id"), owner);
            }
        }
        return deleted;
    }

    /** One bulk write of the audit entries: each its own _id (a batch holds a svix-id once). */
    private void insertAuditEntries(List<Write> round) {
        List<Write> inserting = new ArrayList<>(round.size());
        List<WriteModel<Document>> entries = new ArrayList<>(round.size());
        for (Write write : round) {
            try {
                entries.add(new InsertOneModel<>(MongoDocuments.auditEntry(write.event, write.outcome(), write.erased)));
                inserting.add(write);
            } catch (RuntimeException e) {
                write.fail(e);
            }
        }
        MongoBulk bulk = MongoBulk.write(database, RecordKind.AUDIT.collection(), entries);
        for (int i = 0; i < inserting.size(); i++) {
            Write write = inserting.get(i);
            if (bulk.written(i)) {
                write.audited = true;
                write.completed = true;
            } else if (bulk.duplicate(i)) {
                // Audited already: by another request for this svix-id, or by this one before a retry.
                write.completed = write.auditedBefore;
            } else {
                write.fail(bulk.failureOf(i));
            }
        }
    }

    /**
     * Erasure of the entries audited while, or after, their user was deleted by another delivery:
     * the inserts came first, so either the user's deletion erased them, or this finds the user's
     * tombstone and erases them.
     */
    private void eraseOwn(List<Write> round) {
        Map<String, List<Write>> byUser = new LinkedHashMap<>();
        for (Write write : round) {
            if (write.event.userId() != null) {
                byUser.computeIfAbsent(StorableJson.withoutNul(write.event.userId()), u -> new ArrayList<>()).add(write);
            }
        }
        if (byUser.isEmpty()) {
            return;
        }
        List<String> erase = new ArrayList<>();
        Map<String, List<String>> payerRecords = new LinkedHashMap<>();
        deleted(RecordKind.USER.collection(), List.copyOf(byUser.keySet())).forEach((userId, user) -> {
            for (Write write : byUser.get(userId)) {
                // Not the deletion's own entry.
                if (!write.event.svixId().equals(user.getString("lastEventId"))) {
                    erase.add(write.event.svixId());
                }
                if (write.billing != null && write.change == Outcome.APPLIED) {
                    payerRecords.computeIfAbsent(write.collection(), c -> new ArrayList<>()).add(write.billing.id());
                }
            }
        });
        payerRecords.forEach((collection, ids) -> throwItemFailures(
                MongoBulk.write(database, collection, List.of(MongoCascades.payerErased(ids))), 1));
        if (!erase.isEmpty()) {
            List<WriteModel<Document>> erasure = List.of(MongoCascades.ownErasures(erase));
            throwItemFailures(MongoBulk.write(database, RecordKind.AUDIT.collection(), erasure), 1);
            hooks.afterErasure(erase);
        }
    }

    /** An update of other documents that fails fails the round's deliveries: their effect is incomplete. */
    private static void throwItemFailures(MongoBulk bulk, int items) {
        for (int i = 0; i < items; i++) {
            if (!bulk.written(i)) {
                throw bulk.failureOf(i);
            }
        }
    }

    @Override
    public void deleteMemberships(List<String> ids, Instant deletedAt, String eventId) {
        List<WriteModel<Document>> tombstones = List.of(MongoCascades.membershipsDeleted(ids, deletedAt, eventId));
        throwItemFailures(MongoBulk.write(database, RecordKind.MEMBERSHIP.collection(), tombstones), 1);
        hooks.afterCascade(ids);
    }

    @Override
    public void eraseEntries(List<String> eventIds) {
        if (!eventIds.isEmpty()) {
            List<WriteModel<Document>> erasure = List.of(MongoCascades.ownErasures(eventIds));
            throwItemFailures(MongoBulk.write(database, RecordKind.AUDIT.collection(), erasure), 1);
            hooks.afterErasure(eventIds);
        }
    }

    private static boolean isMembership(SyncAction action) {
        return action == SyncAction.UPSERT_MEMBERSHIP || action == SyncAction.DELETE_MEMBERSHIP;
    }

    private static List<Write> live(List<Write> round) {
        return round.stream().filter(write -> !write.failed()).toList();
    }
}
