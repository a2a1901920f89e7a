package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;

/**
 * WEBHOOK_RATE_LIMIT per client address, applied before verification: a flood of forged requests
 * is mostly answered 429 with Retry-After; behind a trusted proxy each forwarded client has its own
 * budget; from anyone else, X-Forwarded-For is ignored.
 */
class RateLimitTest {

    static final int PER_SECOND = 2;
    static final byte[] FORGED = "{\"type\":\"user.created\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_flood_of_forged_requests_is_cut_to_the_limit_before_verification() {
        try (RunningService service = start("")) {
            WebhookClient client = service.client();
            int requests = 30;
            long started = System.nanoTime();
            List<Response> responses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                responses.add(client.post(WebhookClient.PATH, Map.of("svix-id", "msg_forged"), FORGED));
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            long limited = responses.stream().filter(r -> r.status() == 429).count();
            long allowedAtMost = PER_SECOND + (long) Math.ceil(seconds * PER_SECOND);
            assertThat(limited).isGreaterThanOrEqualTo(requests - allowedAtMost);
            assertThat(responses).filteredOn(r -> r.status() != 429).extracting(Response::status).containsOnly(400);
            Response refused = responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.json().path("error").asText()).isEqualTo("rate limit exceeded");
        }
    }

    @Test
    void behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
        try (RunningService service = start("127.0.0.0/8")) {
            WebhookClient client = service.client();

            assertThat(burst(client, "203.0.113.7")).as("first client, over its budget").contains(429);
            assertThat(send(client, "203.0.113.8")).as("second client, a budget of its own").isEqualTo(400);
        }
    }

    @Test
    void from_an_untrusted_peer_x_forwarded_for_is_ignored() {
        try (RunningService service = start("")) {
            WebhookClient client = service.client();

            assertThat(burst(client, "203.0.113.7")).contains(429);
            assertThat(send(client, "203.0.113.8")).as("same peer, same budget, whatever it claims").isEqualTo(429);
        }
    }

    private static List<Integer> burst(WebhookClient client, String forwardedFor) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < PER_SECOND * 3; i++) {
            statuses.add(send(client, forwardedFor));
        }
        return statuses;
    }

    private static int send(WebhookClient client, String forwardedFor) {
        return client.post(WebhookClient.PATH, Map.of("X-Forwarded-For", forwardedFor), FORGED).status();
    }

    private static RunningService start(String trustedProxies) {
        return RunningService.start(Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb",
                "clerk.mongodb.uri", "",
                "clerk.data.dir", "target/rate-limit-" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()),
                "clerk.webhook.rate-limit", Integer.toString(PER_SECOND),
                "clerk.webhook.trusted-proxies", trustedProxies));
    }
}
