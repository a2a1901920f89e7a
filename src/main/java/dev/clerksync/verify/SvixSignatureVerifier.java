package dev.clerksync.verify;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The front door of the webhook route: checks the Svix signature of the exact bytes received with
 * the official svix library, and only then lets the delivery through. On success the body is the
 * payload as a UTF-8 string and the exchange property {@value #SVIX_ID} holds the message id.
 */
public final class SvixSignatureVerifier implements Processor {

    public static final String SVIX_ID = "clerkSvixId";
    static final int MAX_ID_LENGTH = 256;

    private static final List<String> SVIX = List.of("svix-id", "svix-timestamp", "svix-signature");
    private static final List<String> STANDARD = List.of("webhook-id", "webhook-timestamp", "webhook-signature");

    private final WebhookSecrets secrets;

    public SvixSignatureVerifier(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void process(Exchange exchange) throws RejectedDeliveryException {
        Message message = exchange.getMessage();
        SignedHeaders headers = SignedHeaders.from(message);
        String payload = decodeUtf8(message.getBody(byte[].class));
        verify(payload, headers);
        exchange.setProperty(SVIX_ID, headers.id());
        message.setBody(payload);
    }

    /** Passes when any {@code v1} signature matches any configured secret. */
    void verify(String payload, SignedHeaders headers) throws RejectedDeliveryException {
        Map<String, List<String>> svixHeaders = Map.of(
                SVIX.get(0), List.of(headers.id()),
                SVIX.get(1), List.of(headers.timestamp()),
                SVIX.get(2), List.of(headers.signature()));
        RejectionReason reason = RejectionReason.SIGNATURE_MISMATCH;
        for (Webhook webhook : secrets.webhooks()) {
            try {
                webhook.verify(payload, svixHeaders);
                return;
            } catch (WebhookVerificationException e) {
                reason = reasonOf(e);
            }
        }
        throw new RejectedDeliveryException(reason);
    }

    private static RejectionReason reasonOf(WebhookVerificationException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("too old")) {
            return RejectionReason.TIMESTAMP_TOO_OLD;
        }
        if (message.contains("too new")) {
            return RejectionReason.TIMESTAMP_TOO_NEW;
        }
        if (message.contains("Invalid Signature Headers")) {
            return RejectionReason.MALFORMED_HEADERS;
        }
        return RejectionReason.SIGNATURE_MISMATCH;
    }

    private static String decodeUtf8(byte[] body) throws RejectedDeliveryException {
        if (body == null) {
            return "";
        }
        try {
            // Strict: a lenient decoder would turn bad bytes into U+FFFD and verify something else.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedDeliveryException(RejectionReason.BODY_NOT_UTF8);
        }
    }

    /**
     * The id, timestamp and signature of one header family: {@code svix-*} when all three are present,
     * otherwise the Standard Webhooks {@code webhook-*} names. Camel's headers are case-insensitive.
     */
    record SignedHeaders(String id, String timestamp, String signature) {

        static SignedHeaders from(Message message) throws RejectedDeliveryException {
            for (List<String> family : List.of(SVIX, STANDARD)) {
                if (family.stream().allMatch(name -> message.getHeader(name) != null)) {
                    String id = single(message.getHeader(family.get(0)));
                    if (!isPrintableAscii(id)) {
                        throw new RejectedDeliveryException(RejectionReason.MALFORMED_HEADERS);
                    }
                    return new SignedHeaders(id,
                            single(message.getHeader(family.get(1))),
                            joined(message.getHeader(family.get(2))));
                }
            }
            throw new RejectedDeliveryException(RejectionReason.MISSING_HEADERS);
        }

        /** The id becomes a key in both stores: keep it short and free of control characters. */
        private static boolean isPrintableAscii(String id) {
            return !id.isEmpty() && id.length() <= MAX_ID_LENGTH && id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
        }

        /** An id or timestamp header sent twice is ambiguous, so it is refused. */
        private static String single(Object value) throws RejectedDeliveryException {
            List<String> values = values(value);
            if (values.size() != 1) {
                throw new RejectedDeliveryException(RejectionReason.MALFORMED_HEADERS);
            }
            return values.get(0).trim();
        }

        /** Signature headers sent twice are one list of candidates, as if space-separated. */
        private static String joined(Object value) {
            return String.join(" ", values(value)).trim();
        }

        private static List<String> values(Object value) {
            List<String> values = new ArrayList<>();
            if (value instanceof Iterable<?> many) {
                many.forEach(v -> values.add(String.valueOf(v)));
            } else {
                values.add(String.valueOf(value));
            }
            return values;
        }
    }
}
