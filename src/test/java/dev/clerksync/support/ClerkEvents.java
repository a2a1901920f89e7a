package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic Clerk events for tests, built from the fixtures: a user event is the received-2024
 * {@code user.updated} payload (populated email array, milliseconds) with the fields a test cares
 * about replaced.
 */
public final class ClerkEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER_TEMPLATE = Fixtures.read("variants/received-2024/user.updated.json");

    private final ObjectNode event;

    private ClerkEvents(ObjectNode event) {
        this.event = event;
    }

    /** A {@code user.created} or {@code user.updated} for this user, with this {@code updated_at}. */
    public static ClerkEvents user(String type, String userId, long updatedAtMillis) {
        ObjectNode event = parse(USER_TEMPLATE);
        event.put("type", type);
        event.put("timestamp", updatedAtMillis + 50);
        ObjectNode data = (ObjectNode) event.get("data");
        data.put("id", userId);
        data.put("updated_at", updatedAtMillis);
        return new ClerkEvents(event).email(userId + "@example.com");
    }

    /** A {@code user.deleted} as Clerk sends it: {@code {object, id, deleted}} and the envelope time. */
    public static ClerkEvents deleted(String userId, long timestampMillis) {
        ObjectNode event = parse(Fixtures.read("user.deleted.json"));
        event.put("timestamp", timestampMillis);
        ((ObjectNode) event.get("data")).put("id", userId);
        return new ClerkEvents(event);
    }

    public static String fixture(String relativePath) {
        return Fixtures.read(relativePath);
    }

    /** Sets the primary email address (the entry that primary_email_address_id names). */
    public ClerkEvents email(String address) {
        ((ObjectNode) data().withArray("email_addresses").get(0)).put("email_address", address);
        return this;
    }

    public ClerkEvents firstName(String name) {
        data().put("first_name", name);
        return this;
    }

    public ObjectNode data() {
        return (ObjectNode) event.get("data");
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

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
