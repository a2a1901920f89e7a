package dev.clerksync.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Clerk webhook events with the fields and shapes Clerk sends (see the test fixtures in
 * {@code src/test/resources/clerk-fixtures}:
 * {@code variants/received-2024/user.updated.json}, {@code user.deleted.json},
 * {@code session.created.json}), serialised once, as the bytes that are signed and sent.
 */
final class ClerkEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE_ID = "ins_2XQbVbC0hc75v1QJ2NQr8RUdfRK";
    private static final String USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36";

    private ClerkEvents() {
    }

    static byte[] userEvent(String type, UserVersion version, long timestamp) {
        return bytes(envelope(type, timestamp).set("data", user(version)));
    }

    /** As Clerk sends it: {@code data} is only {@code {object, id, deleted}}; the clock is the envelope's. */
    static byte[] userDeleted(String userId, long timestamp) {
        ObjectNode data = JSON.createObjectNode()
                .put("object", "user")
                .put("id", userId)
                .put("deleted", true);
        return bytes(envelope("user.deleted", timestamp).set("data", data));
    }

    static byte[] sessionCreated(String sessionId, String clientId, String userId, long timestamp) {
        ObjectNode data = JSON.createObjectNode()
                .put("object", "session")
                .put("id", sessionId)
                .put("user_id", userId)
                .put("client_id", clientId)
                .put("status", "active")
                .putNull("actor")
                .put("last_active_at", timestamp)
                .put("expire_at", timestamp + 7 * 86_400_000L)
                .put("abandon_at", timestamp + 30 * 86_400_000L)
                .put("created_at", timestamp)
                .put("updated_at", timestamp);
        return bytes(envelope("session.created", timestamp).set("data", data));
    }

    private static ObjectNode envelope(String type, long timestamp) {
        ObjectNode event = JSON.createObjectNode()
                .put("object", "event")
                .put("type", type)
                .put("instance_id", INSTANCE_ID)
                .put("timestamp", timestamp);
        event.putObject("event_attributes").putObject("http_request")
                .put("client_ip", "203.0.113.17")
                .put("user_agent", USER_AGENT);
        return event;
    }

    private static ObjectNode user(UserVersion version) {
        UserProfile profile = version.profile();
        ObjectNode user = JSON.createObjectNode()
                .put("object", "user")
                .put("id", profile.id())
                .putNull("external_id")
                .put("username", profile.username())
                .put("first_name", version.firstName())
                .put("last_name", profile.lastName())
                .put("image_url", "https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYvb2F1dGhfZ29vZ2xlL2ltZ18" + profile.id())
                .put("profile_image_url", "https://images.clerk.dev/oauth_google/img_" + profile.id())
                .put("has_image", true)
                .put("primary_email_address_id", version.primaryEmailId())
                .putNull("primary_phone_number_id")
                .putNull("primary_web3_wallet_id")
                .put("password_enabled", profile.googleAccountId() == null)
                .put("two_factor_enabled", false)
                .put("totp_enabled", false)
                .put("backup_code_enabled", false)
                .putNull("mfa_enabled_at")
                .putNull("mfa_disabled_at")
                .put("banned", false)
                .put("locked", false)
                .putNull("lockout_expires_in_seconds")
                .put("verification_attempts_remaining", 100)
                .put("delete_self_enabled", true)
                .put("create_organization_enabled", true)
                .putNull("create_organizations_limit")
                .put("last_sign_in_at", version.updatedAt() - 1_000)
                .put("last_active_at", version.updatedAt())
                .put("legal_accepted_at", profile.createdAt())
                .put("created_at", profile.createdAt())
                .put("updated_at", version.updatedAt());
        ArrayNode emails = user.putArray("email_addresses");
        for (UserProfile.EmailAddress address : profile.emailAddresses()) {
            ObjectNode email = emails.addObject()
                    .put("object", "email_address")
                    .put("id", address.id())
                    .put("email_address", address.address())
                    .put("reserved", false)
                    .put("created_at", profile.createdAt())
                    .put("updated_at", profile.createdAt());
            email.putArray("linked_to");
            email.putObject("verification")
                    .put("status", "verified")
                    .put("strategy", address.strategy())
                    .putNull("attempts")
                    .putNull("expire_at");
        }
        user.putArray("phone_numbers");
        user.putArray("web3_wallets");
        user.putArray("passkeys");
        user.putArray("saml_accounts");
        user.putArray("enterprise_accounts");
        ArrayNode external = user.putArray("external_accounts");
        if (profile.googleAccountId() != null) {
            external.addObject()
                    .put("object", "google_account")
                    .put("id", profile.googleAccountId())
                    .put("provider", "oauth_google")
                    .put("email_address", version.primaryEmailAddress())
                    .put("first_name", version.firstName())
                    .put("last_name", profile.lastName())
                    .put("approved_scopes", "email https://www.googleapis.com/auth/userinfo.email openid profile");
        }
        ObjectNode publicMetadata = user.putObject("public_metadata")
                .put("plan", profile.plan())
                .put("role", profile.role())
                .put("onboarded", version.signInCount() > 1);
        ArrayNode teams = publicMetadata.putArray("teams");
        profile.teams().forEach(teams::add);
        user.putObject("private_metadata")
                .put("stripe_customer_id", "cus_" + profile.username())
                .put("sign_in_count", version.signInCount());
        user.putObject("unsafe_metadata")
                .put("locale", profile.locale())
                .put("theme", profile.theme())
                .putObject("onboarding")
                .put("step", Math.min(version.signInCount(), 5))
                .put("completed", version.signInCount() >= 5);
        return user;
    }

    private static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
