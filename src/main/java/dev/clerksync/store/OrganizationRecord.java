package dev.clerksync.store;

import static dev.clerksync.store.ClerkFields.text;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;

/** The columns of an {@code organizations} row (and fields of its document) taken from a Clerk organization object. */
public record OrganizationRecord(
        String id,
        String name,
        String slug,
        String imageUrl,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        JsonNode data) {

    public static OrganizationRecord from(ClerkEvent event) {
        JsonNode data = StorableJson.withoutNul(event.data());
        return new OrganizationRecord(
                text(data, "id"),
                text(data, "name"),
                text(data, "slug"),
                text(data, "image_url"),
                text(data, "created_by"),
                EpochTime.toInstant(data.get("created_at")),
                EpochTime.toInstant(data.get("updated_at")),
                data);
    }
}
