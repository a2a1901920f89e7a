package dev.clerksync.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.mongodb.MongoDbConstants;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * MongoDB following the relational store's decisions with group commit (routes/mongodb-sink.camel.yaml,
 * route {@code mongodb-follow}): the followers of the deliveries in flight share one round of writes
 * ({@link GroupCommit}), and each still gets its own result. A round is: per collection, one ordered
 * bulk write of the guarded changes; one bulk write of the audit entries; one query for the deleted
 * users among the batch's (one query); one update erasing the entries audited about them. Only for deliveries
 * whose follow is that simple: a user's or an organization's upsert, an event only audited (the route
 * sends deletions and memberships down their own steps).
 *
 * <p>The writes go through camel-mongodb's {@code bulkWrite} operation (the {@code mongodb-bulk-*}
 * routes), sent from here by a producer template: it answers the driver's {@code BulkWriteResult},
 * and its failure carries the driver's {@link MongoBulkWriteException}, whose errors name the failed
 * items by index. That is each delivery's own result: an item without an error was written.
 *
 * <p>Semantics, item by item as the per-delivery steps have them:
 * <ul>
 * <li>A change: E11000 means the stored record is as new or newer, or deleted (stale here, docs/design.md
 * decision 3): the delivery is still audited with the decided outcome. Two changes of one record in
 * a batch are made in arrival order (an ordered write). An ordered write stops at its first error;
 * the rest is written again. mongo-java-server goes on past the error instead: writing an item again
 * is harmless, because a guarded upsert that already made its change matches it by
 * {@code lastEventId}, and one overtaken by a newer change of its record meets E11000 — the record
 * never moves backwards, whichever server.</li>
 * <li>An audit entry: an unordered write. Every entry of a batch has its own {@code _id} (the batch
 * holds a svix-id once), so order does not matter, and every entry not named by an error was
 * inserted: nothing is written again, so an entry this request inserted is never met again as a
 * duplicate. E11000 means audited already (by another request): not completed here. When the deliver
 * route retries this follow after a store failure, an entry this request had inserted before it is
 * its own: it still completes the delivery ({@value SyncConstants#MONGODB_AUDITED}).</li>
 * <li>Any other error of an item fails that delivery alone; a failure of the store itself (unreachable,
 * timed out…) fails the whole batch with the driver's exception as it is, which the deliver route's
 * store-retries configuration matches.</li>
 * </ul>
 */
public final class MongoFollower {

    static final int DUPLICATE_KEY = 11000;
    static final String APPLIED = "applied";
    static final String AUDIT_LOG = "audit_log";

    static final String BULK_WRITE = "direct:mongodb-bulk-write";
    static final String BATCH_USERS = "direct:mongodb-bulk-users";
    static final String ERASE_ENTRIES = "direct:mongodb-bulk-erase";

    private final CamelContext context;
    private final MongoDocuments documents;
    private final GroupCommit<Follow> groupCommit;
    private volatile ProducerTemplate template;

    /**
     * {@code writers}: rounds of writes at once. MongoDB holds no lock across the writes of a round
     * (no transaction; each write is guarded by itself), so two rounds never wait for each other.
     */
    public MongoFollower(CamelContext context, MongoDocuments documents, int writers, int maxBatch, IntConsumer batchSizes) {
        this.context = context;
        this.documents = documents;
        this.groupCommit = new GroupCommit<>(this::followBatch, writers, maxBatch, batchSizes);
    }

    /** A delivery to follow, and what the follow did. */
    static final class Follow extends GroupCommit.Entry {

        final ClerkEvent event;
        final SyncAction action;
        final String outcome;
        final boolean erased;
        /** This request inserted the audit entry in an attempt before (the deliver route's retry). */
        final boolean auditedBefore;
        WriteModel<Document> change;
        /** This request's audit insert succeeded. */
        boolean audited;
        boolean completed;

        Follow(ClerkEvent event, SyncAction action, String outcome, boolean erased, boolean auditedBefore) {
            this.event = event;
            this.action = action;
            this.outcome = outcome;
            this.erased = erased;
            this.auditedBefore = auditedBefore;
        }

        @Override
        protected Object key() {
            return event.svixId();
        }
    }

    /**
     * Follows the exchange's decided delivery (its event, {@value SyncConstants#ACTION},
     * {@value SyncConstants#OUTCOME}, {@value SyncConstants#ERASED}) and sets whether this request
     * completed it here ({@value SyncConstants#COMPLETED}).
     */
    public void follow(Exchange exchange) {
        SyncAction action = SyncAction.named(exchange.getProperty(SyncConstants.ACTION, String.class));
        String outcome = exchange.getProperty(SyncConstants.OUTCOME, String.class);
        if (!isSimple(action) || outcome == null) {
            throw new IllegalArgumentException("not followed in bulk: " + action.fileName() + " " + outcome);
        }
        Follow follow = new Follow(exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class), action, outcome,
                exchange.getProperty(SyncConstants.ERASED, false, Boolean.class),
                exchange.getProperty(SyncConstants.MONGODB_AUDITED, false, Boolean.class));
        try {
            groupCommit.submit(follow);
        } finally {
            // Also when the batch failed after the insert: the retry must know the entry as its own.
            if (follow.audited) {
                exchange.setProperty(SyncConstants.MONGODB_AUDITED, true);
            }
        }
        exchange.setProperty(SyncConstants.COMPLETED, follow.completed);
    }

    /** The actions whose follow is a guarded change (or none), the audit insert and the erase-own check. */
    static boolean isSimple(SyncAction action) {
        return action == SyncAction.UPSERT_USER || action == SyncAction.UPSERT_ORGANIZATION
                || action == SyncAction.AUDIT_ONLY;
    }

    /** A store failure is thrown (GroupCommit fails the unsettled deliveries with it, as it is). */
    void followBatch(List<Follow> batch) {
        writeChanges(batch);
        insertAuditEntries(live(batch));
        eraseOwn(live(batch));
        for (Follow follow : live(batch)) {
            follow.settle();
        }
    }

    private void writeChanges(List<Follow> batch) {
        Map<String, List<Follow>> byCollection = new LinkedHashMap<>();
        for (Follow follow : batch) {
            // Only a change the decider applied is made, under MongoDB's own ordering guard.
            String collection = documents.collection(follow.action.fileName());
            if (!APPLIED.equals(follow.outcome) || collection == null) {
                continue;
            }
            try {
                List<Bson> change = documents.change(follow.event, follow.action.fileName(), follow.outcome);
                follow.change = new UpdateOneModel<>(change.get(0), change.get(1), new UpdateOptions().upsert(true));
            } catch (RuntimeException e) {
                follow.fail(e);
                continue;
            }
            byCollection.computeIfAbsent(collection, c -> new ArrayList<>()).add(follow);
        }
        byCollection.forEach(this::writeChangesIn);
    }

    /** Ordered: two changes of one record are made as if one after the other. */
    private void writeChangesIn(String collection, List<Follow> changes) {
        int from = 0;
        while (from < changes.size()) {
            List<Follow> rest = changes.subList(from, changes.size());
            MongoBulkWriteException errors = bulkWrite(collection, rest.stream().map(f -> f.change).toList(), true);
            if (errors == null) {
                return;
            }
            // The write stopped at its first error: what came before it is written, the rest again.
            BulkWriteError first = errors.getWriteErrors().stream()
                    .min(Comparator.comparingInt(BulkWriteError::getIndex)).orElseThrow();
            if (first.getCode() != DUPLICATE_KEY) {
                rest.get(first.getIndex()).fail(itemFailure(errors, first));
            }
            // E11000: stale here; the delivery is still audited, with the decided outcome.
            from += first.getIndex() + 1;
        }
    }

    /** Unordered: each entry its own _id; an entry without an error was inserted, nothing is written twice. */
    private void insertAuditEntries(List<Follow> follows) {
        List<Follow> inserting = new ArrayList<>(follows.size());
        List<WriteModel<Document>> entries = new ArrayList<>(follows.size());
        for (Follow follow : follows) {
            try {
                entries.add(new InsertOneModel<>(documents.auditEntry(follow.event, follow.outcome, follow.erased)));
                inserting.add(follow);
            } catch (RuntimeException e) {
                follow.fail(e);
            }
        }
        if (inserting.isEmpty()) {
            return;
        }
        MongoBulkWriteException errors = bulkWrite(AUDIT_LOG, entries, false);
        Map<Integer, BulkWriteError> byIndex = new HashMap<>();
        if (errors != null) {
            errors.getWriteErrors().forEach(error -> byIndex.put(error.getIndex(), error));
        }
        for (int i = 0; i < inserting.size(); i++) {
            Follow follow = inserting.get(i);
            BulkWriteError error = byIndex.get(i);
            if (error == null) {
                follow.audited = true;
                follow.completed = true;
            } else if (error.getCode() == DUPLICATE_KEY) {
                // Audited already: by another request for this svix-id, or by this one before a retry.
                follow.completed = follow.auditedBefore;
            } else {
                follow.fail(itemFailure(errors, error));
            }
        }
    }

    /**
     * Erasure of the entries audited while, or after, their user was deleted (as route
     * mongodb-erase-own, for the whole batch): the inserts came first, so either the user's deletion
     * erased them, or this finds the user's tombstone and erases them.
     */
    @SuppressWarnings("unchecked")
    private void eraseOwn(List<Follow> follows) {
        Map<String, List<Follow>> byUser = new LinkedHashMap<>();
        for (Follow follow : follows) {
            if (follow.event.userId() != null) {
                byUser.computeIfAbsent(StorableJson.withoutNul(follow.event.userId()), u -> new ArrayList<>()).add(follow);
            }
        }
        if (byUser.isEmpty()) {
            return;
        }
        List<Document> users = (List<Document>) send(BATCH_USERS, MongoCascades.users(byUser.keySet()),
                Map.of(MongoDbConstants.FIELDS_PROJECTION, MongoCascades.DELETION_FIELDS));
        List<String> erase = new ArrayList<>();
        for (Document user : users) {
            if (!MongoCascades.isDeleted(user)) {
                continue;
            }
            for (Follow follow : byUser.getOrDefault(user.get("_id"), List.of())) {
                // Not the deletion's own entry (deletions do not come here, but the rule is the route's).
                if (!follow.event.svixId().equals(user.getString("lastEventId"))) {
                    erase.add(follow.event.svixId());
                }
            }
        }
        if (!erase.isEmpty()) {
            send(ERASE_ENTRIES, MongoCascades.ownErasures(erase), Map.of(MongoDbConstants.MULTIUPDATE, true));
        }
    }

    /** The bulk write; null when every item was written, else its per-item errors. A store failure is thrown. */
    private MongoBulkWriteException bulkWrite(String collection, List<WriteModel<Document>> models, boolean ordered) {
        try {
            send(BULK_WRITE, models, Map.of(MongoDbConstants.COLLECTION, collection, MongoDbConstants.BULK_ORDERED, ordered));
            return null;
        } catch (MongoBulkWriteException e) {
            // A write concern error says nothing of one item: the whole batch fails, to be retried.
            if (e.getWriteConcernError() != null || e.getWriteErrors().isEmpty()) {
                throw e;
            }
            return e;
        }
    }

    /** Sends to a mongodb-bulk-* route; throws the driver's exception itself, not camel-mongodb's wrapper. */
    private Object send(String uri, Object body, Map<String, Object> headers) {
        Exchange done = template().send(uri, exchange -> {
            exchange.getMessage().setBody(body);
            headers.forEach(exchange.getMessage()::setHeader);
        });
        if (done.getException() != null) {
            throw mongoCause(done.getException());
        }
        return done.getMessage().getBody();
    }

    /** The MongoDB exception in the chain (camel-mongodb wraps it), else the failure itself. */
    static RuntimeException mongoCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoException mongo) {
                return mongo;
            }
        }
        return failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
    }

    /** One item's error, as the per-delivery steps would have met it (a MongoWriteException). */
    private static MongoWriteException itemFailure(MongoBulkWriteException bulk, BulkWriteError error) {
        return new MongoWriteException(error, bulk.getServerAddress(), bulk.getErrorLabels());
    }

    private static List<Follow> live(List<Follow> batch) {
        return batch.stream().filter(follow -> !follow.failed()).toList();
    }

    private ProducerTemplate template() {
        ProducerTemplate current = template;
        if (current == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                current = template;
            }
        }
        return current;
    }
}
