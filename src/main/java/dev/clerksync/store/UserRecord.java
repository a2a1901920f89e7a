package dev.clerksync.store;

import static dev.clerksync.store.ClerkFields.text;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;

/**
 * The columns of a {@code users} row (and fields of a {@code users} document) taken from a Clerk
 * user object. The primary email and phone are the entries whose ids the user object names as
 * primary, not the first of each array.
 */
public record UserRecord(
        String id,
        String email,
        String phoneNumber,
        String firstName,
        String lastName,
        String username,
        String imageUrl,
        Instant createdAt,
        Instant updatedAt,
        JsonNode data) {

    public static UserRecord from(ClerkEvent event) {
        JsonNode data = StorableJson.withoutNul(event.data());
        return new UserRecord(
                text(data, "id"),
                primary(data, "primary_email_address_id", "email_addresses", "email_address"),
                primary(data, "primary_phone_number_id", "phone_numbers", "phone_number"),
                text(data, "first_name"),
                text(data, "last_name"),
                text(data, "username"),
                text(data, "image_url"),
                EpochTime.toInstant(data.get("created_at")),
                EpochTime.toInstant(data.get("updated_at")),
                data);
    }

    private static String primary(JsonNode data, String primaryIdField, String arrayField, String valueField) {
        String primaryId = text(data, primaryIdField);
        if (primaryId == null) {
            return null;
        }
        for (JsonNode entry : data.path(arrayField)) {
            if (primaryId.equals(text(entry, "id"))) {
                return text(entry, valueField);
            }
        }
        return null;
    }
}
