package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of the response table (docs/how-it-works.md), over real HTTP to the running service. */
class WebhookHttpTest {

    /** The secret being rotated out; the service accepts both during a rotation. */
    static final String OLD_SECRET = "whsec_plJ3nmyCDGBKInavdOK15jslAAAAAA==";
    static final int MAX_BODY = 4096;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores()
            .with("clerk.webhook.secret", OLD_SECRET + ", " + RunningService.SECRET)
            .with("camel.server.max-body-size", Integer.toString(MAX_BODY));

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService service = stack.service();
    final WebhookClient client = stack.client();

    @Test
    void a_new_user_event_is_applied_and_audited_in_both_stores() {
        String id = WebhookClient.newMessageId();
        Response response = client.send(id, ClerkEvents.fixture("user.created.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().toString())
                .isEqualTo("{\"status\":\"applied\",\"id\":\"" + id + "\",\"type\":\"user.created\"}");
        assertThat(postgres.query("SELECT event_type, subject_id, outcome FROM audit_log WHERE event_id = ?", id))
                .containsExactly(Map.of("event_type", "user.created",
                        "subject_id", "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "outcome", "applied"));
        Document audit = mongo.database().getCollection("audit_log").find(Filters.eq("_id", id)).first();
        assertThat(audit).isNotNull();
        assertThat(audit.getString("outcome")).isEqualTo("applied");
        assertThat(audit.getString("eventType")).isEqualTo("user.created");
    }

    @Test
    void the_same_svix_id_again_is_a_duplicate_and_writes_nothing() {
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", "user_dup", 1_730_000_000_000L).json();
        assertThat(client.send(id, payload).field("status")).isEqualTo("applied");

        Response again = client.send(id, payload);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.field("status")).isEqualTo("duplicate");
        assertThat(again.field("id")).isEqualTo(id);
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?", id)).isEqualTo(1);
        assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.eq("_id", id))).isEqualTo(1);
    }

    @Test
    void an_event_older_than_the_stored_user_is_stale() {
        client.send(ClerkEvents.user("user.created", "user_stale", 2_000L * 1_000_000_000L).json());

        Response older = client.send(ClerkEvents.user("user.updated", "user_stale", 1_000L * 1_000_000_000L).json());

        assertThat(older.status()).isEqualTo(200);
        assertThat(older.field("status")).isEqualTo("stale");
    }

    @Test
    void a_type_without_a_sync_is_ignored_but_audited() {
        String id = WebhookClient.newMessageId();
        Response response = client.send(id, ClerkEvents.fixture("session.created.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.field("status")).isEqualTo("ignored");
        assertThat(response.field("type")).isEqualTo("session.created");
        assertThat(postgres.query("SELECT outcome FROM audit_log WHERE event_id = ?", id))
                .containsExactly(Map.of("outcome", "ignored"));
    }

    @Test
    void missing_svix_headers_are_a_400() {
        Response response = client.post(WebhookClient.PATH, Map.of("Content-Type", "application/json"),
                ClerkEvents.fixture("user.created.json").getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("missing svix headers");
    }

    @Test
    void a_wrong_signature_is_a_401_and_writes_nothing() {
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.fixture("user.created.json");
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(id, payload));
        headers.put("svix-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid signature\"}");
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?", id)).isZero();
    }

    @Test
    void a_timestamp_outside_the_tolerance_is_a_401() {
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.fixture("user.created.json");
        long sixMinutesAgo = Instant.now().getEpochSecond() - 360;
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(id, payload));
        headers.put("svix-timestamp", Long.toString(sixMinutesAgo));
        headers.put("svix-signature", client.sign(id, sixMinutesAgo, payload));

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid signature");
    }

    @Test
    void a_verified_body_that_is_not_an_event_is_a_400_and_not_audited() {
        String id = WebhookClient.newMessageId();

        Response response = client.send(id, "{\"object\":\"event\",\"data\":{}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).contains("not a Clerk event");
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?", id)).isZero();
        assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.eq("_id", id))).isZero();
    }

    @Test
    void a_body_at_the_limit_is_taken_and_one_byte_over_is_a_413() {
        String event = "{\"type\":\"session.created\",\"data\":{\"id\":\"sess_limit\"}}";
        String atLimit = event + " ".repeat(MAX_BODY - event.length());
        assertThat(client.send(atLimit).status()).isEqualTo(200);

        Response over = client.send(atLimit + " ");

        assertThat(over.status()).isEqualTo(413);
        assertThat(over.json().path("error").asText()).isEqualTo("body too large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void other_methods_on_both_paths_are_a_405(String method) {
        for (String path : new String[] {WebhookClient.PATH, WebhookClient.AUTH_PATH}) {
            Response response = client.request(method, path, Map.of(), new byte[0]);
            assertThat(response.status()).as(method + " " + path).isEqualTo(405);
            assertThat(response.header("Allow")).as(method + " " + path).isEqualTo("POST");
        }
    }

    @Test
    void the_auth_path_takes_deliveries_too() {
        String payload = ClerkEvents.fixture("session.ended.json");
        String id = WebhookClient.newMessageId();

        Response response = client.post(WebhookClient.AUTH_PATH, client.signedHeaders(id, payload),
                payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.field("id")).isEqualTo(id);
    }

    @Test
    void the_standard_webhooks_header_names_are_accepted() {
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.fixture("session.revoked.json");
        Map<String, String> headers = new LinkedHashMap<>();
        client.signedHeaders(id, payload).forEach((name, value) -> headers.put(name.replace("svix-", "webhook-"), value));

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.field("id")).isEqualTo(id);
    }

    @Test
    void no_request_header_is_echoed_in_the_response() {
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.fixture("session.created.json");
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(id, payload));
        headers.put("X-Probe", "echo-me");

        for (Map<String, String> request : new Map[] {headers, Map.of("X-Probe", "echo-me", "svix-signature", "v1,abc")}) {
            Response response = client.post(WebhookClient.PATH, request, payload.getBytes(StandardCharsets.UTF_8));
            assertThat(response.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("svix")
                    || name.equalsIgnoreCase("x-probe"));
            assertThat(response.body()).doesNotContain("echo-me").doesNotContain(headers.get("svix-signature"));
        }
    }

    @Test
    void a_non_ascii_payload_is_verified_and_stored_exactly() {
        String name = "Zoë Ñandú 🚀 東京";
        String payload = ClerkEvents.user("user.created", "user_unicode", 1_730_000_000_000L).firstName(name).json();

        assertThat(client.send(payload).field("status")).isEqualTo("applied");

        assertThat(postgres.query("SELECT first_name FROM users WHERE id = 'user_unicode'"))
                .containsExactly(Map.of("first_name", name));
        assertThat(mongo.database().getCollection("users").find(Filters.eq("_id", "user_unicode")).first()
                .getString("firstName")).isEqualTo(name);
    }

    @Test
    void a_latin1_content_type_does_not_change_how_the_utf8_body_is_verified() {
        String name = "Zoë";
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", "user_latin1", 1_730_000_000_000L).firstName(name).json();
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(id, payload));
        headers.put("Content-Type", "application/json; charset=ISO-8859-1");

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(postgres.query("SELECT first_name FROM users WHERE id = 'user_latin1'"))
                .containsExactly(Map.of("first_name", name));
    }

    /** curl --data-binary sends this Content-Type unless told otherwise: the body must still be verified as sent. */
    @Test
    void a_form_content_type_does_not_change_how_the_body_is_verified() {
        String name = "Tom & Jerry = 100% +1";
        String id = WebhookClient.newMessageId();
        String payload = ClerkEvents.user("user.created", "user_form_type", 1_730_000_000_000L).firstName(name).json();
        Map<String, String> headers = new LinkedHashMap<>(client.signedHeaders(id, payload));
        headers.put("Content-Type", "application/x-www-form-urlencoded");

        Response response = client.post(WebhookClient.PATH, headers, payload.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.field("status")).isEqualTo("applied");
        assertThat(postgres.query("SELECT first_name FROM users WHERE id = 'user_form_type'"))
                .containsExactly(Map.of("first_name", name));
    }

    @Test
    void a_delivery_signed_with_the_old_secret_of_a_rotation_is_accepted() {
        WebhookClient oldSecretClient = new WebhookClient(service.baseUrl(), OLD_SECRET);

        Response response = oldSecretClient.send(ClerkEvents.fixture("session.pending.json"));

        assertThat(response.status()).isEqualTo(200);
    }
}
