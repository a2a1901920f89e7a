package dev.clerksync.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Webhook;

/** Sends deliveries to a running service over real HTTP, signed with the svix library. */
public final class WebhookClient {

    public static final String PATH = "/api/webhooks/clerk";
    public static final String AUTH_PATH = "/api/v1/auth/webhook";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = httpClient().build();

    private final String baseUrl;
    private final Webhook signer;
    private final HttpClient http;

    public WebhookClient(String baseUrl, String secret) {
        this(baseUrl, secret, HTTP);
    }

    /** For an {@code https://} base URL: the server's certificate is checked against {@code tls}. */
    public WebhookClient(String baseUrl, String secret, SSLContext tls) {
        this(baseUrl, secret, httpClient().sslContext(tls).build());
    }

    private WebhookClient(String baseUrl, String secret, HttpClient http) {
        this.baseUrl = baseUrl;
        this.http = http;
        try {
            this.signer = new Webhook(secret);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static HttpClient.Builder httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
    }

    public static String newMessageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A delivery with a fresh svix-id. */
    public Response send(String payload) {
        return send(newMessageId(), payload);
    }

    /** A delivery as Svix makes it: this svix-id, the current time, a fresh signature. */
    public Response send(String svixId, String payload) {
        return post(PATH, signedHeaders(svixId, payload), payload.getBytes(StandardCharsets.UTF_8));
    }

    public Map<String, String> signedHeaders(String svixId, String payload) {
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("svix-id", svixId);
        headers.put("svix-timestamp", Long.toString(now));
        headers.put("svix-signature", sign(svixId, now, payload));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    public String sign(String svixId, long timestamp, String payload) {
        try {
            return signer.sign(svixId, timestamp, payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, Map<String, String> headers, byte[] body) {
        return request("POST", path, headers, body);
    }

    /** A POST with one header sent twice: once as in {@code headers}, once more with {@code extraValue}. */
    public Response postWithRepeatedHeader(String path, Map<String, String> headers, String name, String extraValue, byte[] body) {
        HttpRequest.Builder request = builder("POST", path, headers, body);
        request.header(name, extraValue);
        return send(request);
    }

    public Response request(String method, String path, Map<String, String> headers, byte[] body) {
        return send(builder(method, path, headers, body));
    }

    private HttpRequest.Builder builder(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP answer; {@link #json()} parses its body. */
    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String field(String name) {
            return json().path(name).asText(null);
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }
}
