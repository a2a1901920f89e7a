package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores that belong together (issue 26): each records the deployment whose history it holds, and a
 * start that finds them holding different histories is refused with one line, before anything is written.
 */
class StoreIdentityTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void an_empty_postgresql_beside_the_embedded_mongodb_of_another_history_is_refused(@TempDir Path data) {
        Map<String, String> embedded = new HashMap<>(Map.of("clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "postgres,mongodb", "clerk.database.url", "", "clerk.mongodb.uri", "",
                "clerk.data.dir", data.toString()));
        try (RunningService service = RunningService.start(embedded)) {
            deliverSome(service);
        }
        try (PostgresDatabase postgres = PostgresDatabase.create()) {
            Map<String, String> moved = new HashMap<>(embedded);
            moved.putAll(Map.of("clerk.database.url", postgres.url() + "?password=hunter2",
                    "clerk.database.user", PostgresDatabase.user(), "clerk.database.password", PostgresDatabase.password()));

            assertThatThrownBy(() -> RunningService.start(moved))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("the relational store (PostgreSQL " + postgres.url() + ") is empty but the document store"
                            + " (embedded MongoDB " + data.resolve("mongodb.mv") + ") already holds 4 audit entries and"
                            + " 3 records of another history: point DATABASE_URL at the database that holds that history,"
                            + " or empty the document store (delete " + data.resolve("mongodb.mv")
                            + " while clerk-sync is stopped)");
            // Refused before anything was written: the next start, pointed right, finds the stores as they were.
            assertThat(postgres.count("SELECT count(*) FROM clerk_sync_deployment")).isZero();
        }
        try (RunningService again = RunningService.start(embedded)) {
            assertThat(again.client().send(ClerkEvents.user("user.updated", "user_a", T0 + 10).json()).status()).isEqualTo(200);
        }
    }

    @Test
    void stores_of_two_different_histories_are_refused_naming_both() {
        try (PostgresDatabase first = PostgresDatabase.create(); MongoTestServer firstMongo = MongoTestServer.start();
             PostgresDatabase second = PostgresDatabase.create(); MongoTestServer secondMongo = MongoTestServer.start()) {
            try (RunningService one = RunningService.start(first, firstMongo, Map.of());
                 RunningService two = RunningService.start(second, secondMongo, Map.of())) {
                deliverSome(one);
                deliverSome(two);
            }
            String firstId = deploymentId(first);
            String secondId = secondMongo.database().getCollection("clerk_sync_deployment").find().first().getString("deploymentId");
            assertThat(firstId).isNotEqualTo(secondId);

            assertThatThrownBy(() -> RunningService.start(first, secondMongo, Map.of()))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("the document store (MongoDB " + secondMongo.uri().replaceFirst("[?].*$", "")
                            + " database " + secondMongo.databaseName() + ") holds the history of deployment " + secondId
                            + ", not that of the relational store (PostgreSQL " + first.url() + ", deployment " + firstId
                            + "): point MONGODB_URI/MONGODB_DATABASE at this deployment's document store, or empty it"
                            + " (drop its database " + secondMongo.databaseName() + ", or set MONGODB_DATABASE to an empty one)"
                            + " and run java -jar target/clerk-sync.jar resync");
        }
    }

    @Test
    void an_empty_mongodb_added_to_a_postgresql_deployment_takes_its_id_and_starts() {
        try (PostgresDatabase postgres = PostgresDatabase.create(); MongoTestServer mongo = MongoTestServer.start()) {
            try (RunningService alone = RunningService.start(postgres, null, Map.of())) {
                deliverSome(alone);
            }
            String id = deploymentId(postgres);
            assertThat(id).isNotBlank();
            try (RunningService both = RunningService.start(postgres, mongo, Map.of())) {
                assertThat(both.client().send(ClerkEvents.user("user.updated", "user_a", T0 + 10).json()).status()).isEqualTo(200);
            }
            assertThat(mongo.database().getCollection("clerk_sync_deployment").find().first())
                    .containsEntry("_id", "deployment").containsEntry("deploymentId", id);
            assertThat(deploymentId(postgres)).isEqualTo(id);
        }
    }

    /** Both stores hold one history written by a version without ids: they take one id and start. */
    @Test
    void stores_upgraded_from_a_version_without_ids_take_one_id() {
        try (PostgresDatabase postgres = PostgresDatabase.create(); MongoTestServer mongo = MongoTestServer.start()) {
            try (RunningService before = RunningService.start(postgres, mongo, Map.of())) {
                deliverSome(before);
            }
            postgres.query("DELETE FROM clerk_sync_deployment RETURNING 1");
            mongo.database().getCollection("clerk_sync_deployment").deleteMany(new Document());

            try (RunningService after = RunningService.start(postgres, mongo, Map.of())) {
                assertThat(after.client().send(ClerkEvents.user("user.updated", "user_a", T0 + 10).json()).status()).isEqualTo(200);
            }
            assertThat(mongo.database().getCollection("clerk_sync_deployment").find().first().getString("deploymentId"))
                    .isEqualTo(deploymentId(postgres));
        }
    }

    @Test
    void mongodb_alone_records_its_id_once() {
        try (MongoTestServer mongo = MongoTestServer.start()) {
            try (RunningService first = RunningService.start(null, mongo, Map.of())) {
                deliverSome(first);
            }
            String id = mongo.database().getCollection("clerk_sync_deployment").find().first().getString("deploymentId");
            try (RunningService second = RunningService.start(null, mongo, Map.of())) {
                assertThat(second.client().send(ClerkEvents.user("user.updated", "user_a", T0 + 10).json()).status()).isEqualTo(200);
            }
            assertThat(mongo.database().getCollection("clerk_sync_deployment").countDocuments()).isEqualTo(1);
            assertThat(mongo.database().getCollection("clerk_sync_deployment").find().first().getString("deploymentId")).isEqualTo(id);
        }
    }

    /** A user, an organization and a membership: three records, four audit entries. */
    private static void deliverSome(RunningService service) {
        assertThat(service.client().send(ClerkEvents.user("user.created", "user_a", T0).json()).status()).isEqualTo(200);
        assertThat(service.client().send(OrganizationEvents.organization("organization.created", "org_a", T0).json()).status()).isEqualTo(200);
        assertThat(service.client().send(OrganizationEvents.membership("organizationMembership.created", "orgmem_a", "org_a",
                "user_a", T0).json()).status()).isEqualTo(200);
        assertThat(service.client().send(OrganizationEvents.session("sess_a", "user_a", T0).json()).status()).isEqualTo(200);
    }

    private static String deploymentId(PostgresDatabase postgres) {
        return (String) postgres.query("SELECT deployment_id FROM clerk_sync_deployment").get(0).get("deployment_id");
    }
}
