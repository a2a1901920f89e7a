package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.TcpProxy;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every store or none, one decision: with a store unreachable (a relay in front of it cut), a
 * delivery is answered 503 with Retry-After. With the follower (MongoDB) down, PostgreSQL's decision
 * stands and Svix's retry completes MongoDB alone, answering the decided outcome; with the decider
 * (PostgreSQL) down, MongoDB is not touched until the retry decides.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartialFailureTest {

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;

    /** The stores only: the service reaches them through relays that a test can cut. */
    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    PostgresDatabase postgres;
    MongoTestServer mongo;
    TcpProxy postgresRelay;
    TcpProxy mongoRelay;
    RunningService service;
    WebhookClient client;

    @BeforeAll
    void start() throws Exception {
        postgres = stack.postgres();
        mongo = stack.mongo();
        mongoRelay = TcpProxy.start(mongo.host(), mongo.port());
        postgresRelay = TcpProxy.start(postgres.host(), postgres.port());

        Map<String, String> settings = new HashMap<>(RunningService.storeSettings(postgres, mongo));
        settings.put("clerk.database.url", postgres.urlThrough("127.0.0.1", postgresRelay.port()));
        settings.put("clerk.database.connection-timeout-ms", "1000");
        settings.put("clerk.mongodb.uri", "mongodb://127.0.0.1:" + mongoRelay.port()
                + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000");
        service = RunningService.start(settings);
        client = service.client();
    }

    @AfterEach
    void reconnect() throws Exception {
        postgresRelay.restore();
        mongoRelay.restore();
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
        mongoRelay.close();
        postgresRelay.close();
    }

    @Test
    void mongodb_down_means_503_and_the_retry_completes_mongodb_only() throws Exception {
        String user = "user_mongo_down";
        client.send(ClerkEvents.user("user.created", user, T1).firstName("Before").json());
        String svixId = WebhookClient.newMessageId();
        String update = ClerkEvents.user("user.updated", user, T2).firstName("After").json();

        mongoRelay.cut();
        Response during = client.send(svixId, update);

        assertThat(during.status()).isEqualTo(503);
        assertThat(during.header("Retry-After")).isEqualTo("10");
        assertThat(during.json().path("error").asText()).isNotBlank();
        assertThat(StoredUser.inPostgres(postgres, user).firstName()).isEqualTo("After");
        String postgresRow = rowVersion(user);
        assertThat(health("/observe/health")).as("not ready while a store is down").isEqualTo(503);
        assertThat(health("/observe/health/live")).as("but alive").isEqualTo(200);

        mongoRelay.restore();
        assertThat(health("/observe/health")).isEqualTo(200);
        Response retry = client.send(svixId, update);

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.field("status")).isEqualTo("applied");
        assertThat(StoredUser.inMongo(mongo, user).firstName()).isEqualTo("After");
        assertThat(rowVersion(user)).as("postgres already had it: untouched").isEqualTo(postgresRow);
        assertAuditedOnceAsApplied(svixId);
        assertThat(client.send(svixId, update).field("status")).isEqualTo("duplicate");
    }

    @Test
    void postgres_down_means_503_and_mongodb_untouched_until_the_retry_decides() throws Exception {
        String user = "user_postgres_down";
        client.send(ClerkEvents.user("user.created", user, T1).firstName("Before").json());
        String svixId = WebhookClient.newMessageId();
        String update = ClerkEvents.user("user.updated", user, T2).firstName("After").json();

        postgresRelay.cut();
        Response during = client.send(svixId, update);

        assertThat(during.status()).isEqualTo(503);
        assertThat(during.header("Retry-After")).isNotNull();
        assertThat(StoredUser.inMongo(mongo, user).firstName()).as("the follower waits for the decider").isEqualTo("Before");
        assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.eq("_id", svixId))).isZero();
        assertThat(StoredUser.inPostgres(postgres, user).firstName()).isEqualTo("Before");

        postgresRelay.restore();
        Response retry = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.send(svixId, update), response -> response.status() == 200);

        assertThat(retry.field("status")).isEqualTo("applied");
        assertThat(StoredUser.inPostgres(postgres, user).firstName()).isEqualTo("After");
        assertThat(StoredUser.inMongo(mongo, user).firstName()).isEqualTo("After");
        assertAuditedOnceAsApplied(svixId);
        assertThat(client.send(svixId, update).field("status")).isEqualTo("duplicate");
    }

    @Test
    void both_stores_down_means_503_and_nothing_is_recorded() throws Exception {
        String svixId = WebhookClient.newMessageId();
        String create = ClerkEvents.user("user.created", "user_both_down", T1).json();

        postgresRelay.cut();
        mongoRelay.cut();
        assertThat(client.send(svixId, create).status()).isEqualTo(503);
        postgresRelay.restore();
        mongoRelay.restore();

        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?", svixId)).isZero();
        assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.eq("_id", svixId))).isZero();
        // The pool backs off after failed connection attempts: retry as Svix would, within bounds.
        Response retry = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.send(svixId, create), response -> response.status() == 200);
        assertThat(retry.field("status")).isEqualTo("applied");
        assertAuditedOnceAsApplied(svixId);
    }

    @Test
    void connections_dropped_under_the_pool_are_retried_inside_the_request() throws Exception {
        String user = "user_dropped";
        client.send(ClerkEvents.user("user.created", user, T1).json());

        // Both relays drop every open connection and take new ones at once: the pooled connections
        // are dead, and the next delivery's first attempt on each store fails.
        postgresRelay.cut();
        postgresRelay.restore();
        mongoRelay.cut();
        mongoRelay.restore();
        Response response = client.send(ClerkEvents.user("user.updated", user, T2).firstName("Retried").json());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.field("status")).isEqualTo("applied");
        assertThat(StoredUser.inPostgres(postgres, user).firstName()).isEqualTo("Retried");
        assertThat(StoredUser.inMongo(mongo, user).firstName()).isEqualTo("Retried");
    }

    private int health(String path) {
        return new WebhookClient(service.managementUrl(), RunningService.SECRET)
                .request("GET", path, Map.of(), new byte[0]).status();
    }

    private String rowVersion(String user) {
        return (String) postgres.query("SELECT xmin::text AS v FROM users WHERE id = ?", user).get(0).get("v");
    }

    private void assertAuditedOnceAsApplied(String svixId) {
        assertThat(postgres.query("SELECT outcome FROM audit_log WHERE event_id = ?", svixId))
                .isEqualTo(List.of(Map.of("outcome", "applied")));
        assertThat(mongo.database().getCollection("audit_log").find(Filters.eq("_id", svixId)).first().getString("outcome"))
                .isEqualTo("applied");
    }
}
