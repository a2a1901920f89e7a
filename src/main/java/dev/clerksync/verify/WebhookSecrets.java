package dev.clerksync.verify;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.svix.Webhook;
import dev.clerksync.InvalidConfigurationException;
import com.svix.exceptions.EmptyWebhookSecretException;

/**
 * The signing secrets of {@code CLERK_WEBHOOK_SECRET}: one or more {@code whsec_} secrets separated
 * by spaces or commas, so that a rotation can keep the old and the new secret for a while.
 * Error messages name the variable and the position of a bad entry, never its value.
 */
public final class WebhookSecrets {

    static final String VARIABLE = "CLERK_WEBHOOK_SECRET";
    private static final String PREFIX = "whsec_";
    private static final int MIN_KEY_BYTES = 16;

    private final List<Webhook> webhooks;

    private WebhookSecrets(List<Webhook> webhooks) {
        this.webhooks = List.copyOf(webhooks);
    }

    public static WebhookSecrets parse(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(VARIABLE + " is not set: give the signing secret (whsec_...) of "
                    + "your Clerk webhook endpoint; several secrets may be separated by spaces or commas");
        }
        List<Webhook> webhooks = new ArrayList<>();
        int position = 0;
        for (String entry : value.trim().split("[\\s,]+")) {
            position++;
            String key = base64Key(entry, position);
            try {
                webhooks.add(new Webhook(PREFIX + key));
            } catch (EmptyWebhookSecretException e) {
                // base64Key has already refused empty and short keys
                throw new InvalidConfigurationException(VARIABLE + " entry " + position + " is empty", e);
            }
        }
        return new WebhookSecrets(webhooks);
    }

    private static String base64Key(String entry, int position) {
        String where = VARIABLE + " entry " + position;
        if (!entry.startsWith(PREFIX)) {
            throw new InvalidConfigurationException(where + " is malformed: a secret starts with " + PREFIX);
        }
        String key = entry.substring(PREFIX.length());
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(where + " is malformed: " + PREFIX + " must be followed by base64");
        }
        if (decoded.length < MIN_KEY_BYTES) {
            throw new InvalidConfigurationException(where + " is malformed: the key is shorter than "
                    + MIN_KEY_BYTES + " bytes");
        }
        return key;
    }

    public int count() {
        return webhooks.size();
    }

    List<Webhook> webhooks() {
        return webhooks;
    }
}
