package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that stop start-up say which variable is wrong; SYNC_STORES selects the stores. */
class StartupConfigurationTest {

    @Test
    void a_missing_secret_stops_start_up_naming_the_variable() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", "", "clerk.sync.stores", "mongodb")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("CLERK_WEBHOOK_SECRET");
    }

    @Test
    void a_malformed_secret_stops_start_up_without_echoing_it() {
        String malformed = "whsec_not*base64*at*all";
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", malformed, "clerk.sync.stores", "mongodb")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("CLERK_WEBHOOK_SECRET")
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void a_publishable_key_in_clerk_secret_key_or_a_bad_clerk_api_url_stops_start_up_without_echoing_the_key() {
        String publishable = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb", "clerk.api.secret-key", publishable)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("CLERK_SECRET_KEY must be a Clerk secret key, sk_…");
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb", "clerk.api.url", "api.clerk.com/v1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("CLERK_API_URL must be an http(s) URL");
    }

    @Test
    void an_unknown_store_in_sync_stores_stops_start_up() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "postgres,redis")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("SYNC_STORES").hasMessageContaining("redis");
    }

    @Test
    void a_broker_with_mongodb_alone_stops_start_up_saying_change_events_need_the_relational_store() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb", "clerk.change-events.rabbitmq-uri", "amqp://guest:guest@127.0.0.1:5672")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("RABBITMQ_URI").hasMessageContaining("SYNC_STORES");
    }

    @Test
    void otel_settings_the_sdk_cannot_use_stop_start_up_naming_them() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb", "OTEL_TRACES_EXPORTER", "zipkn")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("OTEL_*").hasMessageContaining("zipkn");
    }

    @Test
    void a_database_url_that_is_not_postgresql_stops_start_up() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "postgres", "clerk.database.url", "jdbc:mysql://localhost/x")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("DATABASE_URL");
    }

    @Test
    void a_database_that_does_not_exist_stops_start_up_with_one_line_naming_it_without_credentials_and_the_remedy() {
        String host;
        int port;
        try (PostgresDatabase reachable = PostgresDatabase.create()) {
            host = reachable.host();
            port = reachable.port();
        }
        String missing = "clerk_sync_missing_" + Long.toHexString(System.nanoTime());
        Map<String, String> settings = new HashMap<>(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "postgres",
                "clerk.database.url", "jdbc:postgresql://" + host + ":" + port + "/" + missing + "?password=hunter2",
                "clerk.database.user", PostgresDatabase.user(),
                "clerk.database.password", PostgresDatabase.password()));

        assertThatThrownBy(() -> RunningService.start(settings))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("the database of DATABASE_URL jdbc:postgresql://" + host + ":" + port + "/" + missing
                        + " does not exist: create it (createdb -h " + host + " -p " + port + " " + missing
                        + ") or set DATABASE_URL to one that does");
    }

    @Test
    void postgres_alone_writes_only_postgres() {
        try (PostgresDatabase postgres = PostgresDatabase.create();
             RunningService service = RunningService.start(postgres, null, Map.of())) {
            assertThat(service.client().send(ClerkEvents.user("user.created", "user_pg_only", 1L << 40).json()).field("status"))
                    .isEqualTo("applied");
            assertThat(postgres.count("SELECT count(*) FROM users WHERE id = 'user_pg_only'")).isEqualTo(1);
            assertThat(service.context().getRoute("mongodb-sink")).isNull();
        }
    }

    /** The stores open at the same time; one that cannot open must not leave the other's connections behind. */
    @Test
    void a_store_that_cannot_open_stops_start_up_and_the_other_store_is_closed() throws Exception {
        try (PostgresDatabase postgres = PostgresDatabase.create();
             ServerSocket nobodyAnswers = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = new HashMap<>(RunningService.storeSettings(postgres, null));
            settings.put("clerk.sync.stores", "postgres,mongodb");
            settings.put("clerk.mongodb.uri", "mongodb://127.0.0.1:" + nobodyAnswers.getLocalPort()
                    + "/?serverSelectionTimeoutMS=500&connectTimeoutMS=500&socketTimeoutMS=500");
            assertThatThrownBy(() -> RunningService.start(settings)).hasStackTraceContaining("MongoTimeoutException");

            String otherConnections = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(postgres.count(otherConnections)).isZero());
        }
    }

    @Test
    void mongodb_alone_writes_only_mongodb() {
        try (MongoTestServer mongo = MongoTestServer.start();
             RunningService service = RunningService.start(null, mongo, new HashMap<>())) {
            assertThat(service.client().send(ClerkEvents.user("user.created", "user_mongo_only", 1L << 40).json()).field("status"))
                    .isEqualTo("applied");
            assertThat(mongo.database().getCollection("users").countDocuments()).isEqualTo(1);
            assertThat(service.context().getRoute("postgres-sink")).isNull();
        }
    }

    @Test
    void the_secret_can_come_from_a_file(@TempDir Path dir) throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), RunningService.SECRET + "\n");
        Map<String, String> settings = new HashMap<>(embeddedMongoOnly(dir));
        settings.put("clerk.webhook.secret", "");
        settings.put("clerk.webhook.secret-file", secretFile.toString());

        try (RunningService service = RunningService.start(settings)) {
            assertThat(service.client().send(ClerkEvents.fixture("session.created.json")).status()).isEqualTo(200);
        }
    }

    @Test
    void an_unreadable_secret_file_stops_start_up_naming_the_variable(@TempDir Path dir) {
        Map<String, String> settings = new HashMap<>(embeddedMongoOnly(dir));
        settings.put("clerk.webhook.secret", "");
        settings.put("clerk.webhook.secret-file", dir.resolve("missing").toString());

        assertThatThrownBy(() -> RunningService.start(settings)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("CLERK_WEBHOOK_SECRET_FILE");
    }

    @Test
    void a_secret_given_both_ways_stops_start_up() {
        assertThatThrownBy(() -> RunningService.start(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.webhook.secret-file", "/etc/hostname", "clerk.sync.stores", "mongodb")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("CLERK_WEBHOOK_SECRET_FILE");
    }

    @Test
    void the_database_password_can_come_from_a_file(@TempDir Path dir) throws Exception {
        try (PostgresDatabase postgres = PostgresDatabase.create()) {
            Path passwordFile = Files.writeString(dir.resolve("password"), PostgresDatabase.password());
            Map<String, String> settings = new HashMap<>(RunningService.storeSettings(postgres, null));
            settings.put("clerk.database.password", "");
            settings.put("clerk.database.password-file", passwordFile.toString());

            try (RunningService service = RunningService.start(settings)) {
                assertThat(service.client().send(ClerkEvents.fixture("session.created.json")).status()).isEqualTo(200);
            }
        }
    }

    private static Map<String, String> embeddedMongoOnly(Path dataDir) {
        return Map.of("clerk.webhook.secret", RunningService.SECRET, "clerk.sync.stores", "mongodb",
                "clerk.mongodb.uri", "", "clerk.data.dir", dataDir.toString());
    }
}
