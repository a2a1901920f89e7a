package dev.clerksync.support;

import java.util.UUID;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import dev.clerksync.store.document.embedded.IndexedMemoryBackend;

/**
 * A MongoDB for one test class, reached by the real driver over a socket: the server at
 * {@code MONGODB_URI} when that is set (with a database of its own, dropped afterwards), otherwise
 * mongo-java-server in memory, with the embedded engine's {@code _id} lookups, on a free loopback port.
 */
public final class MongoTestServer implements AutoCloseable {

    private final MongoServer server;
    private final String uri;
    private final String databaseName;
    private final MongoClient client;

    private MongoTestServer(MongoServer server, String uri) {
        this.server = server;
        this.uri = uri;
        this.databaseName = "clerk_sync_test_" + UUID.randomUUID().toString().substring(0, 8);
        this.client = MongoClients.create(uri);
    }

    public static MongoTestServer start() {
        String external = System.getenv("MONGODB_URI");
        if (external != null && !external.isBlank()) {
            return new MongoTestServer(null, external);
        }
        MongoServer server = new MongoServer(new IndexedMemoryBackend());
        return new MongoTestServer(server, server.bindAndGetConnectionString());
    }

    public String uri() {
        return uri;
    }

    /** The host of the (first) server, from the connection string. */
    public String host() {
        return new ConnectionString(uri).getHosts().get(0).split(":")[0];
    }

    /** The port of the (first) server, from the connection string. */
    public int port() {
        String[] hostAndPort = new ConnectionString(uri).getHosts().get(0).split(":");
        return hostAndPort.length > 1 ? Integer.parseInt(hostAndPort[1]) : 27017;
    }

    public String databaseName() {
        return databaseName;
    }

    public MongoDatabase database() {
        return client.getDatabase(databaseName);
    }

    @Override
    public void close() {
        if (server == null) {
            database().drop();
        }
        client.close();
        if (server != null) {
            server.shutdownNow();
        }
    }
}
