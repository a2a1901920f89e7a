package dev.clerksync.bench;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import com.svix.Webhook;
import com.svix.exceptions.WebhookSigningException;

/** Signs deliveries as Svix does, with the svix library itself. */
final class DeliverySigner {

    private final Webhook webhook;

    DeliverySigner(String secret) {
        try {
            this.webhook = new Webhook(secret);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a usable webhook secret", e);
        }
    }

    /** The {@code svix-signature} header for this delivery sent with this {@code svix-timestamp}. */
    String sign(Delivery delivery, long timestampSeconds) {
        try {
            return webhook.sign(delivery.svixId(), timestampSeconds,
                    new String(delivery.body(), StandardCharsets.UTF_8));
        } catch (WebhookSigningException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs every first delivery of the stream with one timestamp, so that signing costs nothing
     * during the run; duplicates are left null: they get a fresh signature when they are re-sent.
     */
    String[] presign(DeliveryStream stream, long timestampSeconds) {
        String[] signatures = new String[stream.length()];
        // In parallel: every signature is independent, and the run waits for the last one.
        IntStream.range(0, signatures.length).parallel()
                .filter(i -> !stream.isDuplicate(i))
                .forEach(i -> signatures[i] = sign(stream.entry(i), timestampSeconds));
        return signatures;
    }
}
