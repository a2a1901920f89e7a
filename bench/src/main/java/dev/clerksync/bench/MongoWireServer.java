package dev.clerksync.bench;

import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import dev.clerksync.store.document.embedded.IndexedMemoryBackend;

/**
 * A MongoDB-wire server: mongo-java-server in memory with the service's {@code _id} lookups (as the
 * tests use it), in a JVM of its own, so that its CPU time and memory are not counted as the service's.
 */
final class MongoWireServer {

    private MongoWireServer() {
    }

    static int run(Args args) throws InterruptedException {
        int port = Integer.parseInt(args.positional(0, "PORT"));
        MongoServer server = new MongoServer(new IndexedMemoryBackend());
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-server listening on 127.0.0.1:" + port);
        new CountDownLatch(1).await();
        return 0;
    }
}
