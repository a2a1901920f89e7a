package dev.clerksync.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * A user as one store holds it, in a form both stores can be compared in: the contract's columns
 * (PostgreSQL) and fields (MongoDB), times as instants, and whether the user object is kept.
 */
public record StoredUser(
        String id,
        String email,
        String phoneNumber,
        String firstName,
        String lastName,
        String username,
        String imageUrl,
        Instant createdAt,
        Instant updatedAt,
        Instant deletedAt,
        Instant lastEventAt,
        boolean hasData) {

    public static StoredUser inPostgres(PostgresDatabase postgres, String id) {
        List<Map<String, Object>> rows = postgres.query("SELECT * FROM users WHERE id = ?", id);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new StoredUser(
                (String) row.get("id"), (String) row.get("email"), (String) row.get("phone_number"),
                (String) row.get("first_name"), (String) row.get("last_name"), (String) row.get("username"),
                (String) row.get("image_url"), instant(row.get("created_at")), instant(row.get("updated_at")),
                instant(row.get("deleted_at")), instant(row.get("last_event_at")), row.get("data") != null);
    }

    public static StoredUser inMongo(MongoTestServer mongo, String id) {
        Document doc = mongo.database().getCollection("users").find(Filters.eq("_id", id)).first();
        if (doc == null) {
            return null;
        }
        return new StoredUser(
                doc.getString("_id"), doc.getString("email"), doc.getString("phoneNumber"),
                doc.getString("firstName"), doc.getString("lastName"), doc.getString("username"),
                doc.getString("imageUrl"), instant(doc.get("createdAt")), instant(doc.get("updatedAt")),
                instant(doc.get("deletedAt")), instant(doc.get("lastEventAt")), doc.containsKey("data"));
    }

    /** A user as clerk-sync writes it after a user.created / user.updated. */
    public static StoredUser live(String id, String email, String firstName, long updatedAtMillis) {
        return new StoredUser(id, email, null, firstName, null, null, null, null,
                Instant.ofEpochMilli(updatedAtMillis), null, Instant.ofEpochMilli(updatedAtMillis), true);
    }

    /** What a user.deleted leaves: the id, deleted_at and last_event_at. */
    public static StoredUser tombstone(String id, long deletedAtMillis) {
        Instant at = Instant.ofEpochMilli(deletedAtMillis);
        return new StoredUser(id, null, null, null, null, null, null, null, null, at, at, false);
    }

    /** Only the fields a test sets through {@link ClerkEvents}: the rest come from the template. */
    public StoredUser essentials() {
        return new StoredUser(id, email, null, firstName, null, null, null, null, updatedAt, deletedAt,
                lastEventAt, hasData);
    }

    private static Instant instant(Object value) {
        return StoredTimes.instant(value);
    }
}
