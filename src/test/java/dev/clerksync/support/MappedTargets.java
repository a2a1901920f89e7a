package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * The mapped targets of {@link AppTables#MAPPINGS} must equal the projection of clerk-sync's own
 * records, computed here independently of the service's code: in SQL from its own tables, and
 * compared with the application's tables and collections.
 */
public final class MappedTargets {

    private MappedTargets() {
    }

    public static void assertMatch(PostgresDatabase postgres, MongoTestServer mongo, String prefix) {
        String like = prefix + "%";
        List<Map<String, Object>> expected = postgres.query("""
                SELECT id AS key, email, first_name, last_name, NULLIF(concat_ws(' ', first_name, last_name), '') AS name,
                       image_url, data->'public_metadata'->>'role' AS role,
                       CAST(CAST(updated_at AT TIME ZONE 'UTC' AS timestamp(3)) AS text) AS updated
                FROM users WHERE deleted_at IS NULL AND id LIKE ? ORDER BY id""", like);
        List<Map<String, Object>> actual = postgres.query("""
                SELECT "clerkId" AS key, "email", "firstName" AS first_name, "lastName" AS last_name, "name",
                       "imageUrl" AS image_url, "role", CAST("updatedAt" AS text) AS updated
                FROM "User" WHERE "clerkId" LIKE ? ORDER BY "clerkId\"""", like);
        assertThat(actual).as("\"User\" rows are the live users' projection").isEqualTo(expected);

        Map<String, Map<String, Object>> documents = new HashMap<>();
        for (Document doc : mongo.database().getCollection("app_users").find(new Document("clerkId", new Document("$regex", "^" + prefix)))) {
            Map<String, Object> values = new HashMap<>();
            values.put("email", doc.get("email"));
            values.put("name", doc.get("name"));
            values.put("image_url", doc.get("imageUrl"));
            documents.put(doc.getString("clerkId"), values);
        }
        Map<String, Map<String, Object>> expectedDocuments = new HashMap<>();
        for (Map<String, Object> row : expected) {
            Map<String, Object> values = new HashMap<>();
            values.put("email", row.get("email"));
            values.put("name", row.get("name"));
            values.put("image_url", row.get("image_url"));
            expectedDocuments.put((String) row.get("key"), values);
        }
        assertThat(documents).as("app_users documents are the live users' projection").isEqualTo(expectedDocuments);

        List<Map<String, Object>> audit = postgres.query("""
                SELECT event_id AS key, event_type AS type, outcome, CAST(payload AS text) AS payload
                FROM audit_log WHERE subject_id LIKE ? ORDER BY event_id""", like);
        List<Map<String, Object>> mappedAudit = postgres.query("""
                SELECT a."svixId" AS key, a."type", a."outcome", CAST(a."payload" AS text) AS payload
                FROM "AuditLog" a JOIN audit_log l ON l.event_id = a."svixId"
                WHERE l.subject_id LIKE ? ORDER BY a."svixId\"""", like);
        assertThat(mappedAudit).as("\"AuditLog\" rows are the audit log's projection").isEqualTo(audit);
        for (Map<String, Object> entry : audit) {
            Document doc = mongo.database().getCollection("app_audit").find(new Document("_id", entry.get("key"))).first();
            assertThat(doc).as("app_audit %s", entry.get("key")).isNotNull();
            assertThat(doc.getString("outcome")).isEqualTo(entry.get("outcome"));
            assertThat(doc.get("payload", Document.class).toJson().contains("\"erased\": true"))
                    .as("erased %s", entry.get("key")).isEqualTo("{\"erased\": true}".equals(entry.get("payload")));
        }
    }

    /** Live memberships: their mapped rows and documents; deleted ones (also by a cascade): kept with nulls, if there. */
    public static void assertMembershipsMatch(PostgresDatabase postgres, MongoTestServer mongo, String prefix) {
        String like = prefix + "%";
        List<Map<String, Object>> expected = postgres.query("""
                SELECT m.id AS key, m.role, m.organization_id AS org, m.user_id AS usr
                FROM organization_memberships m WHERE m.id LIKE ? AND m.deleted_at IS NULL ORDER BY m.id""", like);
        List<Map<String, Object>> actual = postgres.query("""
                SELECT a."clerkId" AS key, a."role", a."orgId" AS org, a."userId" AS usr
                FROM "Membership" a JOIN organization_memberships m ON m.id = a."clerkId"
                WHERE a."clerkId" LIKE ? AND m.deleted_at IS NULL ORDER BY a."clerkId\"""", like);
        assertThat(actual).as("\"Membership\" rows of live memberships").isEqualTo(expected);
        assertThat(postgres.count("""
                SELECT count(*) FROM "Membership" a JOIN organization_memberships m ON m.id = a."clerkId"
                WHERE a."clerkId" LIKE ? AND m.deleted_at IS NOT NULL
                  AND (a."role" IS NOT NULL OR a."orgId" IS NOT NULL OR a."userId" IS NOT NULL)""", like))
                .as("deleted memberships keep only their key").isZero();
        for (Map<String, Object> row : postgres.query("SELECT id, role, user_id, deleted_at FROM organization_memberships WHERE id LIKE ?", like)) {
            Document doc = mongo.database().getCollection("app_memberships").find(new Document("_id", row.get("id"))).first();
            if (row.get("deleted_at") == null) {
                assertThat(doc).as("app_memberships %s", row.get("id")).isNotNull();
                assertThat(doc.get("role")).isEqualTo(row.get("role"));
                assertThat(doc.get("userId")).isEqualTo(row.get("user_id"));
            } else if (doc != null) {
                assertThat(doc.get("role")).as("deleted %s", row.get("id")).isNull();
                assertThat(doc.get("userId")).isNull();
            }
        }
    }
}
