package dev.clerksync.store.document;

import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import dev.clerksync.store.RecordKind;
import org.bson.Document;

/**
 * The document store's side of the stores' identity: the deployment id it copied from the relational
 * store (one document, {@code _id: "deployment"}, in {@code clerk_sync_deployment}), and what it
 * holds. {@code StoreIdentity} decides what to do with the answers.
 */
public final class DocumentDeployment {

    static final String COLLECTION = "clerk_sync_deployment";
    static final String ID = "deployment";

    private final MongoDatabase database;

    public DocumentDeployment(MongoDatabase database) {
        this.database = database;
    }

    /** The deployment id recorded here; null when none is. */
    public String deploymentId() {
        Document found = collection().find(new Document("_id", ID)).first();
        return found == null ? null : found.getString("deploymentId");
    }

    /**
     * Records {@code proposed} unless an id is there already (a replica starting at the same moment
     * wrote it first); the id the store holds afterwards.
     */
    public String record(String proposed) {
        try {
            collection().insertOne(new Document("_id", ID).append("deploymentId", proposed).append("createdAt", new Date()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return deploymentId();
    }

    /** Audit entries held (an estimate from the collection's metadata: cheap on a large store). */
    public long auditEntries() {
        return database.getCollection(RecordKind.AUDIT.collection()).estimatedDocumentCount();
    }

    /** Users, organizations and memberships held, live or deleted (an estimate, as above). */
    public long records() {
        return database.getCollection(RecordKind.USER.collection()).estimatedDocumentCount()
                + database.getCollection(RecordKind.ORGANIZATION.collection()).estimatedDocumentCount()
                + database.getCollection(RecordKind.MEMBERSHIP.collection()).estimatedDocumentCount();
    }

    private MongoCollection<Document> collection() {
        return database.getCollection(COLLECTION);
    }
}
