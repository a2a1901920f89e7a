package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.TcpProxy;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The metrics the alerts of deploy/kubernetes/monitoring read: the time of the last verified
 * delivery, every answer by status and the time of the last 5xx, on a running service whose MongoDB
 * sits behind a relay a test cuts; and every metric the rules name is one the service exports (with
 * a broker and the scheduled reconcile), so renaming one breaks the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmMetricsTest {

    static final Path RULES = Path.of("deploy", "kubernetes", "monitoring", "prometheusrule.yaml");
    /** A series selector of the rules: every one names the job (the test checks that too). */
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{job=\"clerk-sync\"");
    /** What Prometheus itself records about each scrape, not the service. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");
    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    /** An empty Clerk for the scheduled reconcile: its pass repairs nothing, its counters exist from start-up. */
    final FakeClerkApi clerk = FakeClerkApi.start();
    TcpProxy mongoRelay;
    RunningService service;
    WebhookClient client;
    WebhookClient management;

    @BeforeAll
    void start() throws Exception {
        MongoTestServer mongo = stack.mongo();
        mongoRelay = TcpProxy.start(mongo.host(), mongo.port());
        Map<String, String> settings = new HashMap<>(RunningService.storeSettings(stack.postgres(), mongo));
        settings.put("clerk.mongodb.uri", "mongodb://127.0.0.1:" + mongoRelay.port()
                + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000");
        // With a broker, so that the change-event backlog the rules read is exported too.
        settings.put("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI);
        // With the scheduled reconcile, whose repairs a rule reads.
        settings.put("clerk.reconcile.every", "24h");
        settings.put("clerk.api.secret-key", FakeClerkApi.KEY);
        settings.put("clerk.api.url", clerk.baseUrl().toString());
        service = RunningService.start(settings);
        client = service.client();
        management = new WebhookClient(service.managementUrl(), RunningService.SECRET);
    }

    @AfterEach
    void reconnect() {
        mongoRelay.restore();
    }

    @AfterAll
    void stop() throws Exception {
        service.close();
        mongoRelay.close();
        clerk.close();
    }

    @Test
    void a_verified_delivery_sets_the_time_of_the_last_one_and_a_forged_or_unsigned_one_does_not() {
        String created = ClerkEvents.user("user.created", "user_alarm_verified", 1_730_000_000_000L).json();
        double before = scrape().get("clerk_sync_last_verified_delivery_timestamp_seconds");

        Map<String, String> forged = new LinkedHashMap<>(client.signedHeaders(WebhookClient.newMessageId(), created));
        forged.put("svix-signature", "v1,bm9wZQ==");
        assertThat(client.post(WebhookClient.PATH, forged, created.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(401);
        assertThat(client.post(WebhookClient.PATH, Map.of(), created.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(scrape().get("clerk_sync_last_verified_delivery_timestamp_seconds")).isEqualTo(before);

        double sent = nowSeconds();
        assertThat(client.send(created).status()).isEqualTo(200);
        double answered = nowSeconds();

        assertThat(scrape().get("clerk_sync_last_verified_delivery_timestamp_seconds")).isBetween(sent, answered);
    }

    @Test
    void every_answer_is_counted_by_status_and_a_store_outage_s_503_sets_the_time_of_the_last_server_error() throws IOException {
        String user = "user_alarm_outage";
        Map<String, Double> before = scrape();
        assertThat(client.send(ClerkEvents.user("user.created", user, 1_730_000_000_000L).json()).status()).isEqualTo(200);
        assertThat(client.request("GET", WebhookClient.PATH, Map.of(), new byte[0]).status()).isEqualTo(405);
        assertThat(scrape().get("clerk_sync_last_server_error_timestamp_seconds"))
                .isEqualTo(before.get("clerk_sync_last_server_error_timestamp_seconds"));

        mongoRelay.cut();
        double sent = nowSeconds();
        Response during = client.send(ClerkEvents.user("user.updated", user, 1_730_000_060_000L).json());
        double answered = nowSeconds();

        assertThat(during.status()).isEqualTo(503);
        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "clerk_sync_responses_total{status=\"200\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_responses_total{status=\"405\"}")).isEqualTo(1);
        assertThat(delta(before, after, "clerk_sync_responses_total{status=\"503\"}")).isEqualTo(1);
        assertThat(after.get("clerk_sync_last_server_error_timestamp_seconds")).isBetween(sent, answered);
        assertThat(after.get("clerk_sync_last_verified_delivery_timestamp_seconds"))
                .as("a delivery the stores could not take was verified all the same").isBetween(sent, answered);
    }

    @Test
    void every_metric_the_alert_rules_name_is_one_a_running_service_exports() throws IOException {
        client.send(ClerkEvents.user("user.created", "user_alarm_rules", 1_730_000_000_000L).json());
        Set<String> named = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher selector = SELECTOR.matcher(expr);
            int selectors = 0;
            while (selector.find()) {
                named.add(selector.group(1));
                selectors++;
            }
            assertThat(selectors).as("every series selector of %s names job=\"clerk-sync\"", expr)
                    .isEqualTo(expr.chars().filter(c -> c == '{').count()).isPositive();
        }
        Set<String> exported = exported();

        named.removeAll(PROMETHEUS_OWN);
        assertThat(named).contains("clerk_sync_last_verified_delivery_timestamp_seconds", "clerk_sync_responses_total",
                "clerk_sync_change_events_oldest_pending_age_seconds", "clerk_sync_reconcile_repairs_total",
                "process_start_time_seconds");
        assertThat(exported).containsAll(named);
    }

    private static Iterable<String> expressions() throws IOException {
        Map<?, ?> rule = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(RULES));
        List<String> expressions = new ArrayList<>();
        for (Object group : (Iterable<?>) ((Map<?, ?>) rule.get("spec")).get("groups")) {
            for (Object each : (Iterable<?>) ((Map<?, ?>) group).get("rules")) {
                expressions.add((String) ((Map<?, ?>) each).get("expr"));
            }
        }
        assertThat(expressions).isNotEmpty();
        return expressions;
    }

    /** The names of every series the metrics endpoint shows now. */
    private Set<String> exported() {
        Set<String> names = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(metricsText());
        while (line.find()) {
            names.add(line.group(1));
        }
        return names;
    }

    private Map<String, Double> scrape() {
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^(clerk_sync_[^ ]+) ([0-9.eE+-]+)$").matcher(metricsText());
        while (line.find()) {
            values.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return values;
    }

    private String metricsText() {
        Response metrics = management.request("GET", "/observe/metrics", Map.of(), new byte[0]);
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series " + series + " in " + after.keySet()).containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    private static double nowSeconds() {
        return System.currentTimeMillis() / 1000.0;
    }
}
