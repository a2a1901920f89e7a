package dev.clerksync.support;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * For a test class that talks to the service as production builds it, on a fresh PostgreSQL database
 * and MongoDB of its own: started once before its tests, stopped after them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServiceOnBothStores {

    protected PostgresDatabase postgres;
    protected MongoTestServer mongo;
    protected RunningService service;
    protected WebhookClient client;

    @BeforeAll
    void startServiceOnBothStores() {
        postgres = PostgresDatabase.create();
        mongo = MongoTestServer.start();
        service = RunningService.start(postgres, mongo, Map.of());
        client = service.client();
    }

    @AfterAll
    void stopServiceOnBothStores() {
        if (service != null) {
            service.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
