package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero set-up: with no store settings at all the service runs on the embedded H2 database and the
 * embedded MongoDB-wire server under its data directory, and what it stored survives a restart.
 */
class EmbeddedStoresTest {

    @TempDir
    Path dataDir;

    @Test
    void without_store_settings_deliveries_land_in_the_embedded_stores_and_survive_a_restart() throws Exception {
        Map<String, String> settings = Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.mongodb.uri", "",
                "clerk.sync.stores", "postgres,mongodb");
        String created = WebhookClient.newMessageId();
        String updated = WebhookClient.newMessageId();
        long t1 = 1_730_000_000_000L;

        try (RunningService service = RunningService.start(settings)) {
            assertThat(service.client().send(created, ClerkEvents.user("user.created", "user_embedded", t1).firstName("One").json())
                    .field("status")).isEqualTo("applied");
        }
        try (RunningService restarted = RunningService.start(settings)) {
            WebhookClient client = restarted.client();
            assertThat(client.send(created, ClerkEvents.user("user.created", "user_embedded", t1).json()).field("status"))
                    .as("the audit log survived the restart").isEqualTo("duplicate");
            assertThat(client.send(updated, ClerkEvents.user("user.updated", "user_embedded", t1 + 1).firstName("Two").json())
                    .field("status")).isEqualTo("applied");
            assertThat(client.send(ClerkEvents.user("user.updated", "user_embedded", t1).json()).field("status"))
                    .as("the ordering clock survived the restart").isEqualTo("stale");
        }

        assertThat(Files.list(dataDir).map(p -> p.getFileName().toString())).contains("clerk-sync.mv.db", "mongodb.mv");
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("clerk-sync"));
             ResultSet row = h2.createStatement().executeQuery(
                     "SELECT first_name, (SELECT COUNT(*) FROM audit_log WHERE subject_id = 'user_embedded') FROM users WHERE id = 'user_embedded'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("Two");
            assertThat(row.getInt(2)).isEqualTo(3);
        }
        // Read back with mongo-java-server's own H2 engine: the embedded engine keeps its file format.
        MongoServer server = new MongoServer(new H2Backend(dataDir.resolve("mongodb.mv").toString()).version(ServerVersion.MONGO_5_0));
        try (MongoClient mongo = MongoClients.create(server.bindAndGetConnectionString())) {
            Document user = mongo.getDatabase("clerk_sync").getCollection("users").find(Filters.eq("_id", "user_embedded")).first();
            assertThat(user.getString("firstName")).isEqualTo("Two");
            assertThat(mongo.getDatabase("clerk_sync").getCollection("audit_log").countDocuments()).isEqualTo(3);
        } finally {
            server.shutdownNow();
        }
    }
}
