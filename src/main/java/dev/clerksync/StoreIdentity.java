package dev.clerksync;

import java.sql.SQLException;
import java.util.UUID;

import dev.clerksync.store.document.DocumentDeployment;
import dev.clerksync.store.relational.RelationalDeployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores that belong together (issue 26): each store records which deployment's history it holds,
 * a random id written at the first start, which the document store copies from the relational one.
 * Run by every command once the stores are open and before any route starts, so that a relational
 * store pointed elsewhere (an empty PostgreSQL beside the embedded MongoDB of last week's history,
 * say) stops start-up with one line instead of deciding deliveries that the document store then
 * follows on top of another history. Nothing is written when start-up is refused.
 */
final class StoreIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(StoreIdentity.class);

    static final String RESYNC = "java -jar target/clerk-sync.jar resync";

    private StoreIdentity() {
    }

    /**
     * Checks the stores belong together and records the id where it is missing; throws {@link
     * InvalidConfigurationException} when they do not. Either store may be null (not configured).
     */
    static void settle(ClerkSyncSettings settings, RelationalDeployment relational, DocumentDeployment document)
            throws SQLException {
        if (relational == null) {
            document.record(UUID.randomUUID().toString());
            return;
        }
        String relationalId = relational.deploymentId();
        if (document == null) {
            if (relationalId == null) {
                relational.record(UUID.randomUUID().toString());
            }
            return;
        }
        String documentId = document.deploymentId();
        boolean relationalHistory = relational.hasHistory();
        long auditEntries = document.auditEntries();
        long records = document.records();
        boolean documentHolds = auditEntries > 0 || records > 0;
        if (!relationalHistory && documentHolds && !(relationalId != null && relationalId.equals(documentId))) {
            throw new InvalidConfigurationException(emptyBesideHistory(settings, auditEntries, records));
        }
        if (relationalId == null) {
            // A new deployment, or one upgraded from a version without ids. An empty document store
            // that carries an id (MongoDB alone until now, nothing delivered yet) lends it its id.
            String proposed = documentId != null && !relationalHistory ? documentId : UUID.randomUUID().toString();
            if (documentId != null && !documentId.equals(proposed)) {
                throw new InvalidConfigurationException(mismatch(settings, null, documentId));
            }
            relationalId = relational.record(proposed);
        }
        if (documentId == null) {
            document.record(relationalId);
            LOG.info("the document store ({}) takes the deployment id {} of the relational store ({}){}",
                    documentStore(settings), relationalId, relationalStore(settings),
                    !documentHolds && relationalHistory
                            ? "; it holds none of that history yet: run " + RESYNC + " to copy it" : "");
        } else if (!documentId.equals(relationalId)) {
            throw new InvalidConfigurationException(mismatch(settings, relationalId, documentId));
        }
    }

    static String emptyBesideHistory(ClerkSyncSettings settings, long auditEntries, long records) {
        return "the relational store (" + relationalStore(settings) + ") is empty but the document store ("
                + documentStore(settings) + ") already holds " + auditEntries + " audit entries and " + records
                + " records of another history: point DATABASE_URL at the database that holds that history, "
                + "or empty the document store (" + howToEmpty(settings) + ")";
    }

    static String mismatch(ClerkSyncSettings settings, String relationalId, String documentId) {
        return "the document store (" + documentStore(settings) + ") holds the history of deployment " + documentId
                + ", not that of the relational store (" + relationalStore(settings)
                + (relationalId == null ? ", which has no deployment id yet" : ", deployment " + relationalId)
                + "): point MONGODB_URI/MONGODB_DATABASE at this deployment's document store, or empty it ("
                + howToEmpty(settings) + ") and run " + RESYNC;
    }

    /** The relational store as a message may name it: never a credential. */
    static String relationalStore(ClerkSyncSettings settings) {
        return settings.databaseUrl().isEmpty()
                ? "embedded SQL database " + settings.dataDir().resolve("clerk-sync.mv.db")
                : "PostgreSQL " + DatabaseSetupFailures.withoutCredentials(settings.databaseUrl());
    }

    /** The document store as a message may name it: never a credential. */
    static String documentStore(ClerkSyncSettings settings) {
        return settings.mongodbUri().isEmpty()
                ? "embedded MongoDB " + settings.dataDir().resolve("mongodb.mv")
                : "MongoDB " + DatabaseSetupFailures.withoutCredentials(settings.mongodbUri())
                        + " database " + settings.mongodbDatabase();
    }

    private static String howToEmpty(ClerkSyncSettings settings) {
        return settings.mongodbUri().isEmpty()
                ? "delete " + settings.dataDir().resolve("mongodb.mv") + " while clerk-sync is stopped"
                : "drop its database " + settings.mongodbDatabase() + ", or set MONGODB_DATABASE to an empty one";
    }
}
