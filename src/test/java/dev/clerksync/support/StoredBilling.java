package dev.clerksync.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bson.Document;

/**
 * A billing record as a store holds it (CONTRACT §12), in one shape for every store: snake_case
 * column names, times as instants, numbers as longs, {@code data} as JSON. A document's camelCase
 * fields are read back by their column's name.
 */
public final class StoredBilling {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StoredBilling() {
    }

    public static Map<String, Object> inPostgres(PostgresDatabase postgres, String table, String id) {
        var rows = postgres.query("SELECT * FROM " + table + " WHERE id = ?", id);
        return rows.isEmpty() ? null : normalized(rows.get(0));
    }

    public static Map<String, Object> inH2(Connection h2, String table, String id) throws SQLException {
        try (PreparedStatement statement = h2.prepareStatement("SELECT * FROM " + table + " WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    String column = result.getMetaData().getColumnName(c).toLowerCase(Locale.ROOT);
                    row.put(column, column.equals("data") ? result.getString(c) : result.getObject(c));
                }
                return normalized(row);
            }
        }
    }

    public static Map<String, Object> inMongo(MongoTestServer mongo, String collection, String id) {
        Document document = mongo.database().getCollection(collection).find(new Document("_id", id)).first();
        if (document == null) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        document.forEach((field, value) -> row.put(field.equals("_id") ? "id" : snake(field),
                field.equals("data") ? ((Document) value).toJson() : value));
        return normalized(row);
    }

    private static Map<String, Object> normalized(Map<String, Object> row) {
        Map<String, Object> result = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (column.equals("change_seq")) {
                return;
            }
            result.put(column, normalized(column, value));
        });
        return result;
    }

    private static Object normalized(String column, Object value) {
        if (value == null) {
            return null;
        }
        if (column.equals("data")) {
            try {
                JsonNode node = MAPPER.readTree(value.toString());
                return node.isTextual() ? MAPPER.readTree(node.asText()) : node;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof Timestamp time) {
            return time.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Date time) {
            return time.toInstant();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        return value;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** The record's expected columns (less data) from a Clerk object, read here independently of the service. */
    public static Map<String, Object> expected(String table, JsonNode object, String svixId, String subscriptionId,
                                               String userId, String organizationId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", object.get("id").asText());
        switch (table) {
            case "billing_subscriptions" -> {
                row.put("status", object.get("status").asText());
                row.put("payer_id", object.get("payer_id").asText());
                row.put("user_id", userId);
                row.put("organization_id", organizationId);
                row.put("active_at", time(object, "active_at"));
                row.put("canceled_at", time(object, "canceled_at"));
                row.put("ended_at", time(object, "ended_at"));
                row.put("past_due_at", time(object, "past_due_at"));
            }
            case "billing_subscription_items" -> {
                row.put("subscription_id", subscriptionId);
                row.put("status", object.get("status").asText());
                row.put("plan_id", object.get("plan_id").asText());
                row.put("plan_slug", object.get("plan").get("slug").asText());
                row.put("interval", object.get("interval").asText());
                row.put("is_free_trial", object.get("is_free_trial").asBoolean());
                row.put("period_start", time(object, "period_start"));
                row.put("period_end", time(object, "period_end"));
                row.put("user_id", userId);
                row.put("organization_id", organizationId);
            }
            default -> {
                JsonNode total = object.get("totals").get("grand_total");
                row.put("payment_id", object.get("payment_id").asText());
                row.put("status", object.get("status").asText());
                row.put("user_id", userId);
                row.put("organization_id", organizationId);
                row.put("amount", total.get("amount").asLong());
                row.put("currency", total.get("currency").asText());
                row.put("paid_at", time(object, "paid_at"));
                row.put("failed_at", time(object, "failed_at"));
                row.put("failed_reason", object.get("failed_reason").isNull() ? null
                        : object.get("failed_reason").get("code").asText());
                row.put("billing_date", time(object, "billing_date"));
            }
        }
        row.put("created_at", time(object, "created_at"));
        row.put("updated_at", time(object, "updated_at"));
        row.put("last_event_at", time(object, "updated_at"));
        row.put("last_event_id", svixId);
        return row;
    }

    private static Instant time(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : Instant.ofEpochMilli(value.asLong());
    }
}
