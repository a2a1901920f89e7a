package dev.clerksync.support;

import static dev.clerksync.support.StoredTimes.instant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;

/** An organization as one store holds it, comparable across stores: the relational store's columns, MongoDB's fields. */
public record StoredOrganization(
        String id,
        String name,
        String slug,
        String imageUrl,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        Instant lastEventAt,
        String lastEventId,
        boolean hasData) {

    public static StoredOrganization inPostgres(PostgresDatabase postgres, String id) {
        List<Map<String, Object>> rows = postgres.query("SELECT * FROM organizations WHERE id = ?", id);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new StoredOrganization((String) row.get("id"), (String) row.get("name"), (String) row.get("slug"),
                (String) row.get("image_url"), (String) row.get("created_by"), instant(row.get("created_at")),
                instant(row.get("updated_at")), instant(row.get("deleted_at")), instant(row.get("last_event_at")),
                (String) row.get("last_event_id"), row.get("data") != null);
    }

    public static StoredOrganization inMongo(MongoTestServer mongo, String id) {
        Document doc = mongo.database().getCollection("organizations").find(Filters.eq("_id", id)).first();
        if (doc == null) {
            return null;
        }
        return new StoredOrganization(doc.getString("_id"), doc.getString("name"), doc.getString("slug"),
                doc.getString("imageUrl"), doc.getString("createdBy"), instant(doc.get("createdAt")),
                instant(doc.get("updatedAt")), instant(doc.get("deletedAt")), instant(doc.get("lastEventAt")),
                doc.getString("lastEventId"), doc.containsKey("data"));
    }

    /** What an organization.deleted leaves: id, deleted_at, last_event_at and last_event_id. */
    public static StoredOrganization tombstone(String id, long deletedAtMillis, String svixId) {
        Instant at = Instant.ofEpochMilli(deletedAtMillis);
        return new StoredOrganization(id, null, null, null, null, null, null, at, at, svixId, false);
    }
}
