package dev.clerksync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Posts signed deliveries to the service over HTTP/1.1 and reads the outcome it answers. */
final class WebhookSender {

    /** What the service answered: the HTTP status (0 when the request failed) and the {@code status} field. */
    record Answer(int status, String outcome) {

        static Answer failed(Exception e) {
            return new Answer(0, e.getClass().getSimpleName());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI url;
    private final Duration requestTimeout;

    WebhookSender(String url, Duration requestTimeout) {
        this.url = URI.create(url);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                // Answers are handled on the client's selector thread instead of being handed to a
                // pool: half the CPU per request, and the load generator shares the service's cores.
                .executor(Runnable::run)
                .build();
    }

    Answer send(Delivery delivery, long timestampSeconds, String signature) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("svix-id", delivery.svixId())
                .header("svix-timestamp", Long.toString(timestampSeconds))
                .header("svix-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), outcome(response.body()));
        } catch (IOException e) {
            return Answer.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed(e);
        }
    }

    private static String outcome(byte[] body) {
        try {
            return JSON.readTree(body).path("status").asText("none");
        } catch (IOException e) {
            return "unparsable";
        }
    }
}
