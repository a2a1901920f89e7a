package dev.clerksync.store.document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import dev.clerksync.ClerkSyncSettings;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.document.embedded.IndexedH2Backend;
import org.apache.camel.support.service.ServiceSupport;
import org.bson.Document;

/**
 * The document store: MongoDB at {@code MONGODB_URI}, or, when it is unset, an embedded
 * MongoDB-wire server (mongo-java-server) keeping its data in a file under the data directory.
 * Opening it ensures the indexes; stopping the Camel context closes the client and the server.
 */
public final class MongoStore extends ServiceSupport {

    private final MongoClient client;
    private final MongoServer embeddedServer;
    private final String description;

    private MongoStore(MongoClient client, MongoServer embeddedServer, String description) {
        this.client = client;
        this.embeddedServer = embeddedServer;
        this.description = description;
    }

    public static MongoStore open(ClerkSyncSettings settings) throws Exception {
        MongoServer server = null;
        ConnectionString uri;
        if (settings.mongodbUri().isEmpty()) {
            Path dir = settings.dataDir().toAbsolutePath();
            Files.createDirectories(dir);
            server = new MongoServer(IndexedH2Backend.onFile(dir.resolve("mongodb.mv").toString()));
            uri = new ConnectionString(server.bindAndGetConnectionString());
        } else {
            uri = new ConnectionString(settings.mongodbUri());
        }
        MongoClient client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(uri)
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
                        uri.getServerSelectionTimeout() != null ? uri.getServerSelectionTimeout()
                                : settings.mongodbServerSelectionTimeoutMs(),
                        TimeUnit.MILLISECONDS))
                .build());
        try {
            ensureIndexes(client.getDatabase(settings.mongodbDatabase()));
        } catch (RuntimeException e) {
            client.close();
            if (server != null) {
                server.shutdownNow();
            }
            throw e;
        }
        String where = server == null ? "mongodb " + withoutCredentials(settings.mongodbUri())
                : "embedded " + settings.dataDir().resolve("mongodb.mv");
        return new MongoStore(client, server, where + " database " + settings.mongodbDatabase());
    }

    /**
     * The audit log is unique on {@code _id} by nature; these serve lookups by subject and by time,
     * erasure (by userId) and the cascades (memberships by organization and by user).
     */
    static void ensureIndexes(MongoDatabase database) {
        database.getCollection(RecordKind.AUDIT.collection()).createIndex(Indexes.ascending("subjectId"));
        database.getCollection(RecordKind.AUDIT.collection()).createIndex(Indexes.ascending("userId"));
        database.getCollection(RecordKind.MEMBERSHIP.collection()).createIndex(Indexes.ascending("organizationId"));
        database.getCollection(RecordKind.MEMBERSHIP.collection()).createIndex(Indexes.ascending("userId"));
        database.getCollection(RecordKind.AUDIT.collection()).createIndex(Indexes.ascending("receivedAt"));
        // The admin view's deliveries, newest first by (receivedAt, _id): its cursor's order.
        database.getCollection(RecordKind.AUDIT.collection()).createIndex(Indexes.ascending("receivedAt", "_id"));
        database.getCollection(RecordKind.USER.collection()).createIndex(Indexes.ascending("email"));
        // The payer's erasure (by userId) and the admin view's lists of a user's or organization's billing records.
        for (RecordKind billing : RecordKind.billing()) {
            database.getCollection(billing.collection()).createIndex(Indexes.ascending("userId"));
            database.getCollection(billing.collection()).createIndex(Indexes.ascending("organizationId"));
        }
    }

    static String withoutCredentials(String uri) {
        return uri.replaceAll("//[^@/]*@", "//****@");
    }

    /** For the readiness check: the server answers a ping. */
    public boolean isReachable() {
        client.getDatabase("admin").runCommand(new Document("ping", 1));
        return true;
    }

    public MongoClient client() {
        return client;
    }

    public String description() {
        return description;
    }

    @Override
    protected void doStop() {
        close();
    }

    /** Closes the client (and the embedded server): also for a store opened but never started. */
    public void close() {
        client.close();
        if (embeddedServer != null) {
            embeddedServer.shutdownNow();
        }
    }
}
