package dev.clerksync.support;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * An audit entry as one store holds it, comparable across stores: the ids, type, outcome, and the
 * payload as JSON (erased entries hold {@code {"erased": true}}).
 */
public record StoredAudit(String eventId, String eventType, String subjectId, String userId, String outcome,
                          JsonNode payload) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static StoredAudit inPostgres(PostgresDatabase postgres, String svixId) {
        List<Map<String, Object>> rows = postgres.query("SELECT event_id, event_type, subject_id, user_id, outcome, "
                + "payload::text AS payload FROM audit_log WHERE event_id = ?", svixId);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        return new StoredAudit((String) row.get("event_id"), (String) row.get("event_type"),
                (String) row.get("subject_id"), (String) row.get("user_id"), (String) row.get("outcome"),
                json(row.get("payload").toString()));
    }

    public static StoredAudit inMongo(MongoTestServer mongo, String svixId) {
        Document doc = mongo.database().getCollection("audit_log").find(Filters.eq("_id", svixId)).first();
        if (doc == null) {
            return null;
        }
        return new StoredAudit(doc.getString("_id"), doc.getString("eventType"), doc.getString("subjectId"),
                doc.getString("userId"), doc.getString("outcome"), json(doc.get("payload", Document.class).toJson()));
    }

    public boolean erased() {
        return payload.equals(MAPPER.createObjectNode().put("erased", true));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }
}
