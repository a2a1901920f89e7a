package dev.clerksync.store;

import static dev.clerksync.store.ClerkFields.text;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.EpochTime;

/**
 * The columns of an {@code organization_memberships} row (and fields of its document) taken from a
 * Clerk membership object: the organization is {@code organization.id}, the user
 * {@code public_user_data.user_id} (the parser refuses a membership event without either).
 */
public record MembershipRecord(
        String id,
        String organizationId,
        String userId,
        String role,
        Instant createdAt,
        Instant updatedAt,
        JsonNode data) {

    public static MembershipRecord from(ClerkEvent event) {
        JsonNode data = StorableJson.withoutNul(event.data());
        return new MembershipRecord(
                text(data, "id"),
                ClerkEvent.membershipOrganizationId(data),
                ClerkEvent.membershipUserId(data),
                text(data, "role"),
                EpochTime.toInstant(data.get("created_at")),
                EpochTime.toInstant(data.get("updated_at")),
                data);
    }
}
