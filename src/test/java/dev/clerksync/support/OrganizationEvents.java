package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic organization, membership and session events for tests, built from the bundled fixtures
 * (received-2024 organization and membership payloads, milliseconds) with the fields a test cares
 * about replaced.
 */
public final class OrganizationEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORGANIZATION = Fixtures.read("variants/received-2024/organization.updated.json");
    private static final String MEMBERSHIP = Fixtures.read("variants/received-2024/organizationMembership.updated.json");
    private static final String ORGANIZATION_DELETED = Fixtures.read("organization.deleted.json");
    private static final String SESSION = Fixtures.read("session.created.json");
    private static final String EMAIL = Fixtures.read("email.created.json");

    /** An envelope timestamp comes a little after the change it reports, as Clerk sends it. */
    static final long ENVELOPE_DELAY_MS = 50;

    private final ObjectNode event;

    private OrganizationEvents(ObjectNode event) {
        this.event = event;
    }

    /** An {@code organization.created} or {@code organization.updated} with this {@code updated_at}. */
    public static OrganizationEvents organization(String type, String organizationId, long updatedAtMillis) {
        ObjectNode event = parse(ORGANIZATION);
        event.put("type", type).put("timestamp", updatedAtMillis + ENVELOPE_DELAY_MS);
        data(event).put("id", organizationId).put("updated_at", updatedAtMillis);
        return new OrganizationEvents(event);
    }

    /** An {@code organization.deleted} as Clerk sends it: {@code {object, id, slug, deleted}} and the envelope time. */
    public static OrganizationEvents organizationDeleted(String organizationId, long timestampMillis) {
        ObjectNode event = parse(ORGANIZATION_DELETED);
        event.put("timestamp", timestampMillis);
        data(event).put("id", organizationId);
        return new OrganizationEvents(event);
    }

    /** An {@code organizationMembership.created} or {@code .updated} with this {@code updated_at}. */
    public static OrganizationEvents membership(String type, String membershipId, String organizationId, String userId,
                                                long updatedAtMillis) {
        ObjectNode event = parse(MEMBERSHIP);
        event.put("type", type).put("timestamp", updatedAtMillis + ENVELOPE_DELAY_MS);
        ObjectNode data = data(event);
        data.put("id", membershipId).put("updated_at", updatedAtMillis);
        ((ObjectNode) data.get("organization")).put("id", organizationId);
        ((ObjectNode) data.get("public_user_data")).put("user_id", userId);
        return new OrganizationEvents(event);
    }

    /**
     * An {@code organizationMembership.deleted} at this envelope time; like Clerk's, it carries the
     * membership as it last was, with that old {@code updated_at}.
     */
    public static OrganizationEvents membershipDeleted(String membershipId, String organizationId, String userId,
                                                       long timestampMillis, long oldUpdatedAtMillis) {
        OrganizationEvents deleted = membership("organizationMembership.deleted", membershipId, organizationId, userId,
                oldUpdatedAtMillis);
        deleted.event.put("timestamp", timestampMillis);
        return deleted;
    }

    /** A {@code session.created} of this user. */
    public static OrganizationEvents session(String sessionId, String userId, long timestampMillis) {
        ObjectNode event = parse(SESSION);
        event.put("timestamp", timestampMillis);
        data(event).put("id", sessionId).put("user_id", userId);
        ((ObjectNode) data(event).get("user")).put("id", userId);
        return new OrganizationEvents(event);
    }

    /** An {@code email.created} to this user. */
    public static OrganizationEvents email(String emailId, String userId, long timestampMillis) {
        ObjectNode event = parse(EMAIL);
        event.put("timestamp", timestampMillis);
        data(event).put("id", emailId).put("user_id", userId);
        return new OrganizationEvents(event);
    }

    public OrganizationEvents name(String name) {
        data().put("name", name);
        return this;
    }

    public OrganizationEvents role(String role) {
        data().put("role", role);
        return this;
    }

    public ObjectNode data() {
        return data(event);
    }

    public ObjectNode event() {
        return event;
    }

    public String json() {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
