package dev.clerksync.support;

import static dev.clerksync.support.StoredTimes.instant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;

/** A membership as one store holds it, comparable across stores: the relational store's columns, MongoDB's fields. */
public record StoredMembership(
        String id,
        String organizationId,
        String userId,
        String role,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        Instant lastEventAt,
        String lastEventId,
        boolean hasData) {

    public static StoredMembership inPostgres(PostgresDatabase postgres, String id) {
        List<Map<String, Object>> rows = postgres.query("SELECT * FROM organization_memberships WHERE id = ?", id);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new StoredMembership((String) row.get("id"), (String) row.get("organization_id"),
                (String) row.get("user_id"), (String) row.get("role"), instant(row.get("created_at")),
                instant(row.get("updated_at")), instant(row.get("deleted_at")), instant(row.get("last_event_at")),
                (String) row.get("last_event_id"), row.get("data") != null);
    }

    public static StoredMembership inMongo(MongoTestServer mongo, String id) {
        Document doc = mongo.database().getCollection("organization_memberships").find(Filters.eq("_id", id)).first();
        if (doc == null) {
            return null;
        }
        return new StoredMembership(doc.getString("_id"), doc.getString("organizationId"), doc.getString("userId"),
                doc.getString("role"), instant(doc.get("createdAt")), instant(doc.get("updatedAt")),
                instant(doc.get("deletedAt")), instant(doc.get("lastEventAt")), doc.getString("lastEventId"),
                doc.containsKey("data"));
    }

    /** What a membership's deletion (its own, or a cascade's) leaves: the ids, the owners and the deletion. */
    public static StoredMembership tombstone(String id, String organizationId, String userId, long deletedAtMillis,
                                             String svixId) {
        Instant at = Instant.ofEpochMilli(deletedAtMillis);
        return new StoredMembership(id, organizationId, userId, null, null, null, at, at, svixId, false);
    }

    public boolean live() {
        return deletedAt == null;
    }
}
