package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.AppTables;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Prisma-style application's tables and MongoDB collections kept in step by mappings (contract
 * §11) through the webhook, on real PostgreSQL: applied changes reach them, duplicates and stale
 * deliveries do not, app-owned columns and ids are never touched, deletions cascade and erase.
 */
class MappingSyncTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static RunningService service;
    static PostgresDatabase postgres;
    static MongoTestServer mongo;

    @BeforeAll
    static void start() throws Exception {
        postgres = stack.postgres();
        mongo = stack.mongo();
        AppTables.create(postgres, mongo);
        Path folder = AppTables.folder(Files.createTempDirectory("mappings-sync"), AppTables.MAPPINGS);
        Map<String, String> settings = new HashMap<>();
        settings.put("clerk.mappings.dir", folder.toString());
        service = RunningService.start(postgres, mongo, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void a_user_lives_and_dies_in_the_mapped_tables() {
        WebhookClient client = service.client();
        long t = 1_700_000_000_000L;
        ClerkEvents created = ClerkEvents.user("user.created", "user_m1", t).firstName("Ada");
        created.data().put("last_name", "Lovelace");
        created.data().putObject("public_metadata").put("role", "admin");
        assertThat(client.send("msg_m1_1", created.json()).field("status")).isEqualTo("applied");

        Map<String, Object> row = user("user_m1");
        assertThat(row).containsEntry("email", "user_m1@example.com").containsEntry("firstname", "Ada")
                .containsEntry("name", "Ada Lovelace").containsEntry("role", "admin").containsEntry("plan", "free");
        assertThat(row.get("updatedat").toString()).startsWith("2023-11-14 22:13:20");
        Object rowId = row.get("id");
        Document doc = mongo.database().getCollection("app_users").find(new Document("clerkId", "user_m1")).first();
        assertThat(doc).isNotNull();
        assertThat(doc.getString("name")).isEqualTo("Ada Lovelace");
        assertThat(doc.get("updatedAt")).isInstanceOf(java.util.Date.class);

        // The application's own columns are its own.
        AppTables.execute(postgres, "UPDATE \"User\" SET \"plan\" = 'pro' WHERE \"clerkId\" = 'user_m1'");
        ClerkEvents updated = ClerkEvents.user("user.updated", "user_m1", t + 10).firstName("Augusta");
        assertThat(client.send("msg_m1_2", updated.json()).field("status")).isEqualTo("applied");
        ClerkEvents older = ClerkEvents.user("user.updated", "user_m1", t + 5).firstName("Stale");
        assertThat(client.send("msg_m1_3", older.json()).field("status")).isEqualTo("stale");
        assertThat(client.send("msg_m1_1", created.json()).field("status")).isEqualTo("duplicate");
        row = user("user_m1");
        assertThat(row).containsEntry("firstname", "Augusta").containsEntry("plan", "pro").containsEntry("id", rowId)
                .containsEntry("lastname", "Skywalker").containsEntry("name", "Augusta Skywalker");
        assertThat(mongo.database().getCollection("app_users").find(new Document("clerkId", "user_m1")).first()
                .getString("name")).isEqualTo("Augusta Skywalker");

        // A membership, then the user's deletion: cascaded (kept with nulls), personal data gone, audit erased.
        String membership = OrganizationEvents.membership("organizationMembership.created", "orgmem_m1", "org_m1",
                "user_m1", t + 20).role("org:admin").json();
        assertThat(client.send("msg_m1_4", membership).field("status")).isEqualTo("applied");
        assertThat(postgres.query("SELECT \"role\", \"orgId\", \"userId\", \"note\" FROM \"Membership\" WHERE \"clerkId\" = 'orgmem_m1'"))
                .containsExactly(Map.of("role", "org:admin", "orgid", "org_m1", "userid", "user_m1", "note", "app-owned"));
        assertThat(client.send("msg_m1_5", ClerkEvents.deleted("user_m1", t + 30).json()).field("status")).isEqualTo("applied");
        assertThat(client.send("msg_m1_6", ClerkEvents.user("user.updated", "user_m1", t + 40).json()).field("status"))
                .isEqualTo("stale");

        assertThat(postgres.count("SELECT count(*) FROM \"User\" WHERE \"clerkId\" = 'user_m1'")).isZero();
        assertThat(mongo.database().getCollection("app_users").countDocuments(new Document("clerkId", "user_m1"))).isZero();
        Map<String, Object> kept = new HashMap<>();
        kept.put("role", null);
        kept.put("orgid", null);
        kept.put("userid", null);
        kept.put("note", "app-owned");
        assertThat(postgres.query("SELECT \"role\", \"orgId\", \"userId\", \"note\" FROM \"Membership\" WHERE \"clerkId\" = 'orgmem_m1'"))
                .containsExactly(kept);
        Document keptDoc = mongo.database().getCollection("app_memberships").find(new Document("_id", "orgmem_m1")).first();
        assertThat(keptDoc.get("role")).isNull();
        assertThat(keptDoc.get("userId")).isNull();

        // One audit row per delivery, with the outcome; every one about the user erased but the deletion's.
        List<Map<String, Object>> audit = postgres.query(
                "SELECT \"svixId\", \"outcome\", CAST(\"payload\" AS text) AS payload, \"email\" FROM \"AuditLog\" ORDER BY \"svixId\"");
        assertThat(audit).extracting(r -> r.get("svixid")).containsExactly("msg_m1_1", "msg_m1_2", "msg_m1_3", "msg_m1_4",
                "msg_m1_5", "msg_m1_6");
        assertThat(audit).extracting(r -> r.get("outcome")).containsExactly("applied", "applied", "stale", "applied",
                "applied", "stale");
        audit.stream().filter(r -> !r.get("svixid").equals("msg_m1_5")).forEach(r -> {
            assertThat(r.get("payload")).isEqualTo("{\"erased\": true}");
            assertThat(r.get("email")).isNull();
        });
        assertThat((String) audit.get(4).get("payload")).contains("user.deleted");
        for (Document entry : mongo.database().getCollection("app_audit").find()) {
            Document payload = entry.get("payload", Document.class);
            if (entry.getString("_id").equals("msg_m1_5")) {
                assertThat(payload.getString("type")).isEqualTo("user.deleted");
            } else {
                assertThat(payload).isEqualTo(new Document("erased", true));
            }
        }
        assertThat(mongo.database().getCollection("app_audit").countDocuments()).isEqualTo(6);
    }

    private static Map<String, Object> user(String clerkId) {
        List<Map<String, Object>> rows = postgres.query("SELECT * FROM \"User\" WHERE \"clerkId\" = ?", clerkId);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
