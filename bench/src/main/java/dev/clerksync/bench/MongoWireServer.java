package dev.clerksync.bench;

import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB-wire server (mongo-java-server, in memory), the same engine as the service's embedded
 * one but in a JVM of its own, so that its CPU time and memory are not counted as the service's.
 */
final class MongoWireServer {

    private MongoWireServer() {
    }

    static int run(Args args) throws InterruptedException {
        int port = Integer.parseInt(args.positional(0, "PORT"));
        MemoryBackend backend = new MemoryBackend();
        // The 5.x driver refuses the server's default wire version.
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-server listening on 127.0.0.1:" + port);
        new CountDownLatch(1).await();
        return 0;
    }
}
