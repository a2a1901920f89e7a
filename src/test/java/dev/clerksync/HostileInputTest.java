package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input, correctly signed or not: each gets a clear 4xx, never a 500 or a stack trace, and
 * leaves both stores exactly as they were.
 */
class HostileInputTest {

    static final long REQUEST_TIMEOUT_MS = 1500;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores()
            .with("clerk.webhook.request-timeout-ms", Long.toString(REQUEST_TIMEOUT_MS));

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    @AfterEach
    void stores_are_untouched() {
        assertThat(postgres.count("SELECT count(*) FROM audit_log") + postgres.count("SELECT count(*) FROM users")).isZero();
        assertThat(mongo.database().getCollection("audit_log").countDocuments()
                + mongo.database().getCollection("users").countDocuments()).isZero();
    }

    @Test
    void a_signed_body_that_is_not_utf8_is_a_400() throws Exception {
        byte[] body = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        Response response = client.post(WebhookClient.PATH, signedRaw(body), body);

        assertClear4xx(response, 400, "body is not valid UTF-8");
    }

    @Test
    void json_nested_a_hundred_thousand_deep_is_a_400() {
        String payload = "{\"type\":\"user.updated\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertClear4xx(client.send(payload), 400, "body is not valid JSON");
    }

    @Test
    void duplicate_keys_are_a_400() {
        assertClear4xx(client.send("{\"type\":\"user.created\",\"type\":\"user.deleted\",\"data\":{}}"), 400, "body is not valid JSON");
    }

    @Test
    void trailing_garbage_after_the_event_is_a_400() {
        assertClear4xx(client.send(ClerkEvents.fixture("user.created.json") + "{}"), 400, "body is not valid JSON");
    }

    @Test
    void a_number_longer_than_a_thousand_digits_is_a_400() {
        String payload = "{\"type\":\"session.created\",\"data\":{\"id\":\"sess_1\",\"n\":" + "9".repeat(1_500) + "}}";

        assertClear4xx(client.send(payload), 400, "body is not valid JSON");
    }

    @Test
    void a_delivery_with_its_svix_id_header_repeated_is_a_400() {
        String payload = ClerkEvents.fixture("session.created.json");
        Map<String, String> headers = client.signedHeaders(WebhookClient.newMessageId(), payload);

        Response response = client.postWithRepeatedHeader(WebhookClient.PATH, headers, "svix-id", "msg_other",
                payload.getBytes(StandardCharsets.UTF_8));

        assertClear4xx(response, 400, "malformed svix headers");
    }

    @Test
    void an_oversized_header_is_refused_with_a_4xx() {
        String payload = ClerkEvents.fixture("session.created.json");
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(WebhookClient.newMessageId(), payload));
        headers.put("X-Padding", "x".repeat(64 * 1024));

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isBetween(400, 499);
    }

    @Test
    void a_client_that_sends_its_body_byte_by_byte_is_cut_off_at_the_deadline() throws Exception {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(service.baseUrl().replaceAll(".*:", "")))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + WebhookClient.PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    out.write('{');
                    out.flush();
                } catch (IOException e) {
                    // the server closed the connection: that is what this test waits for
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            socket.setSoTimeout((int) (REQUEST_TIMEOUT_MS * 4));
            String answer = readUntilClosed(socket.getInputStream());

            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(waitedMillis).isBetween(REQUEST_TIMEOUT_MS - 100, REQUEST_TIMEOUT_MS * 3);
        } finally {
            dribbler.shutdownNow();
        }
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; got: " + received, e);
        } catch (IOException e) {
            // a reset after the answer also ends the connection
        }
        return received.toString(StandardCharsets.US_ASCII);
    }

    private void assertClear4xx(Response response, int status, String error) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).isEqualTo(error);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Svix's scheme over raw bytes: HMAC-SHA256 of "id.timestamp." followed by the body. */
    private static Map<String, String> signedRaw(byte[] body) throws Exception {
        String id = WebhookClient.newMessageId();
        long timestamp = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(RunningService.SECRET.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        return Map.of("svix-id", id, "svix-timestamp", Long.toString(timestamp), "svix-signature", signature);
    }
}
