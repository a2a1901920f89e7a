package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** What an operator sees: the line per delivery, the metrics after traffic, and health. */
class ObservabilityTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();
    static final ListAppender<ILoggingEvent> deliveryLog = new ListAppender<>();

    final WebhookClient client = stack.client();
    final WebhookClient management = new WebhookClient(stack.service().managementUrl(), RunningService.SECRET);

    @BeforeAll
    static void captureDeliveryLines() {
        deliveryLog.start();
        ((Logger) LoggerFactory.getLogger("clerk-sync.delivery")).addAppender(deliveryLog);
    }

    @AfterAll
    static void releaseDeliveryLines() {
        ((Logger) LoggerFactory.getLogger("clerk-sync.delivery")).detachAppender(deliveryLog);
    }

    @Test
    void each_delivery_logs_one_line_with_its_id_type_subject_outcome_and_duration_and_no_personal_data() {
        String svixId = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", "user_logged", 1_730_000_000_000L)
                .email("private.person@example.com").json();
        java.util.Map<String, String> headers = client.signedHeaders(svixId, payload);

        client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        List<String> lines = deliveryLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains(svixId)).toList();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .matches("delivery svix_id=" + svixId + " type=user\\.created subject=user_logged outcome=applied duration_ms=\\d+")
                .doesNotContain("private.person").doesNotContain(headers.get("svix-signature").substring(3))
                .doesNotContain(RunningService.SECRET.substring(6)));
    }

    @Test
    void metrics_count_deliveries_by_type_and_outcome_rejections_by_reason_and_store_writes() {
        String svixId = WebhookClient.newMessageId();
        String created = ClerkEvents.user("user.created", "user_metrics", 1_730_000_000_000L).json();
        Map<String, Double> before = scrape();

        client.send(svixId, created);
        client.send(svixId, created);
        client.send(ClerkEvents.fixture("session.created.json"));
        Map<String, String> forged = new LinkedHashMap<>(client.signedHeaders(WebhookClient.newMessageId(), created));
        forged.put("svix-signature", "v1,bm9wZQ==");
        client.post(WebhookClient.PATH, forged, created.getBytes(StandardCharsets.UTF_8));
        client.post(WebhookClient.PATH, Map.of(), created.getBytes(StandardCharsets.UTF_8));

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "clerk_sync_deliveries_total{outcome=\"applied\",type=\"user.created\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_deliveries_total{outcome=\"duplicate\",type=\"user.created\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_deliveries_total{outcome=\"ignored\",type=\"session.created\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_rejections_total{reason=\"signature_mismatch\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_rejections_total{reason=\"missing_headers\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_store_write_seconds_count{store=\"postgres\"}")).isEqualTo(3);
        assertThat(delta(before, after, "clerk_sync_store_write_seconds_count{store=\"mongodb\"}")).isEqualTo(3);
        assertThat(after).containsKey("clerk_sync_deliveries_in_flight");
    }

    @Test
    void a_body_over_the_limit_and_a_wrong_method_are_logged_and_counted_under_the_reason_the_log_gives() {
        Map<String, Double> before = scrape();

        byte[] tooLarge = new byte[1_048_577];
        assertThat(client.post(WebhookClient.PATH, Map.of(), tooLarge).status()).isEqualTo(413);
        assertThat(client.request("GET", WebhookClient.PATH, Map.of(), new byte[0]).status()).isEqualTo(405);

        Map<String, Double> after = scrape();
        List<String> lines = deliveryLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).contains("rejected status=413 reason=body_too_large", "rejected status=405 reason=method_not_allowed");
        assertThat(delta(before, after, "clerk_sync_rejections_total{reason=\"body_too_large\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_rejections_total{reason=\"method_not_allowed\"}")).isEqualTo(1);
    }

    @Test
    void the_metrics_include_the_jvm_s_own() {
        String metrics = management.request("GET", "/observe/metrics", Map.of(), new byte[0]).body();

        assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
                "jvm_classes_loaded_classes ", "system_cpu_count ");
    }

    @Test
    void health_is_up_with_both_stores_reachable() {
        Response health = management.request("GET", "/observe/health", Map.of(), new byte[0]);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(management.request("GET", "/observe/health/live", Map.of(), new byte[0]).status()).isEqualTo(200);
        assertThat(management.request("GET", "/observe/health/ready", Map.of(), new byte[0]).status()).isEqualTo(200);
    }

    private Map<String, Double> scrape() {
        Response metrics = management.request("GET", "/observe/metrics", Map.of(), new byte[0]);
        assertThat(metrics.status()).isEqualTo(200);
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^(clerk_sync_[^ ]+) ([0-9.eE+-]+)$").matcher(metrics.body());
        while (line.find()) {
            values.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return values;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series " + series + " in " + after.keySet()).containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }
}
