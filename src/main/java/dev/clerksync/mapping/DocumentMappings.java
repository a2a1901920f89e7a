package dev.clerksync.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.StorableJson;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.document.MongoBulk;
import dev.clerksync.store.document.MongoWriter;
import dev.clerksync.store.relational.SqlParameters;
import org.bson.Document;

/**
 * The mapped collections' writes in the document writer's rounds (contract §11), after the round's
 * own changes, cascades and tombstones and before its audit entries, under the same guard: only a
 * delivery whose own change was made here ({@code changed}: the guarded write matched, also on a
 * retry after a crash, through its {@code lastEventId}) writes a mapped document, and that write is
 * guarded by the document's own clock ({@link MappedCollection}). Then, for every record the round
 * touched that is deleted here now (a cascade, a deletion by another writer meanwhile, or a
 * delivery retried after a crash), {@code on-delete} is applied again: no interleaving leaves a
 * deleted record's personal data in a mapped document. Audit documents are written before the
 * audit entries, once each, so that a crash between the two is healed by the retry. A deletion
 * whose cascade or erasure the relational store left for after the answer (CascadeWork) reaches
 * the mapped documents chunk by chunk ({@link #afterCascade}, {@link #afterErasure}), before each
 * chunk commits there.
 */
final class DocumentMappings implements MongoWriter.Hooks {

    private final MongoDatabase database;
    private final List<MappedCollection> collections;

    DocumentMappings(MongoDatabase database, List<MappedCollection> collections) {
        this.database = database;
        this.collections = collections;
    }

    @Override
    public void afterChanges(List<MongoWriter.Written> round) {
        for (MappedCollection target : collections) {
            RecordKind kind = target.mapping().record();
            List<WriteModel<Document>> writes = new ArrayList<>();
            if (kind == RecordKind.AUDIT) {
                round.forEach(written -> writes.add(target.insertOnce(row(kind, written))));
                List<MongoWriter.Written> deletions = round.stream()
                        .filter(written -> written.changed() && written.action() == SyncAction.DELETE_USER
                                && !written.erasureDeferred()).toList();
                addIfAny(writes, target.erase(entriesErasedBy(deletions)));
                write(target, writes);
                continue;
            }
            List<String> deleted = new ArrayList<>();
            for (MongoWriter.Written written : round) {
                if (written.changed() && written.action() == kind.upsert()) {
                    writes.add(target.upsert(row(kind, written), written.event().clock(), written.event().svixId()));
                } else if (written.changed() && written.action() == kind.delete()) {
                    deleted.add(StorableJson.withoutNul(written.event().subjectId()));
                }
            }
            write(target, writes);
            // Every record of the round deleted here by now, and for memberships those its owners' deletions cascaded to.
            deleted.addAll(deletedNow(kind, round));
            if (!deleted.isEmpty()) {
                writeIfAny(target, target.onDelete(deleted));
            }
        }
    }

    @Override
    public void afterErasure(List<String> svixIds) {
        for (MappedCollection target : collections) {
            if (target.mapping().record() == RecordKind.AUDIT) {
                writeIfAny(target, target.erase(svixIds));
            }
        }
    }

    @Override
    public void afterCascade(List<String> membershipIds) {
        for (MappedCollection target : collections) {
            if (target.mapping().record() == RecordKind.MEMBERSHIP) {
                writeIfAny(target, target.onDelete(membershipIds));
            }
        }
    }

    /** The ids of the round's records of this kind that are deleted in clerk-sync's own collection. */
    private List<String> deletedNow(RecordKind kind, List<MongoWriter.Written> round) {
        Set<String> ids = new HashSet<>();
        Set<String> owners = new HashSet<>();
        for (MongoWriter.Written written : round) {
            String subject = StorableJson.withoutNul(written.event().subjectId());
            if (written.action() == kind.upsert() || written.action() == kind.delete()) {
                ids.add(subject);
            } else if (kind == RecordKind.MEMBERSHIP && written.changed()
                    && (written.action() == SyncAction.DELETE_USER || written.action() == SyncAction.DELETE_ORGANIZATION)) {
                owners.add(subject);
            }
        }
        List<Document> filters = new ArrayList<>();
        if (!ids.isEmpty()) {
            filters.add(new Document("_id", new Document("$in", List.copyOf(ids))));
        }
        if (!owners.isEmpty()) {
            filters.add(new Document("userId", new Document("$in", List.copyOf(owners))));
            filters.add(new Document("organizationId", new Document("$in", List.copyOf(owners))));
        }
        List<String> deleted = new ArrayList<>();
        for (Document filter : filters) {
            for (Document record : database.getCollection(kind.collection()).find(filter)
                    .projection(new Document("deletedAt", 1))) {
                if (record.get("deletedAt") != null) {
                    deleted.add(record.getString("_id"));
                }
            }
        }
        return deleted;
    }

    /** The audit entries a user's deletion erases: the user's others. */
    private List<String> entriesErasedBy(List<MongoWriter.Written> deletions) {
        if (deletions.isEmpty()) {
            return List.of();
        }
        Map<String, String> deletionOf = new LinkedHashMap<>();
        deletions.forEach(d -> deletionOf.put(StorableJson.withoutNul(d.event().subjectId()), d.event().svixId()));
        List<String> erased = new ArrayList<>();
        for (Document entry : database.getCollection(RecordKind.AUDIT.collection())
                .find(new Document("userId", new Document("$in", List.copyOf(deletionOf.keySet()))))
                .projection(new Document("userId", 1))) {
            if (!entry.getString("_id").equals(deletionOf.get(entry.getString("userId")))) {
                erased.add(entry.getString("_id"));
            }
        }
        return erased;
    }

    private static SourceRow row(RecordKind kind, MongoWriter.Written written) {
        return SourceRow.fromParameters(kind, SqlParameters.of(written.event(), written.action()), written.outcome(),
                written.erased());
    }

    /**
     * One unordered bulk write. A duplicate key is a guarded upsert that met a newer document
     * (or an insert-once that found its document): nothing to do. Any other item error fails the round.
     */
    private void write(MappedCollection target, List<WriteModel<Document>> writes) {
        MongoBulk bulk = MongoBulk.write(database, target.collection(), writes);
        for (int i = 0; i < writes.size(); i++) {
            if (!bulk.written(i) && !bulk.duplicate(i)) {
                throw bulk.failureOf(i);
            }
        }
    }

    /** A single write, when there is one (null: nothing to do). */
    private void writeIfAny(MappedCollection target, WriteModel<Document> write) {
        if (write != null) {
            write(target, List.of(write));
        }
    }

    private static void addIfAny(List<WriteModel<Document>> writes, WriteModel<Document> write) {
        if (write != null) {
            writes.add(write);
        }
    }
}
