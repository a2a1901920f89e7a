package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.DroppedConnection;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/api/svix-portal} with CLERK_SECRET_KEY set, against the test's stand-in for Clerk's
 * Backend API: the link Clerk gives, Clerk refusing the key or answering nothing, a page of another
 * site asking; and the key never in an answer or a log line.
 */
class SvixPortalApiTest {

    static final String TOKEN = "portal-token-for-tests-5e1b";
    static final String PORTAL = "/admin/api/svix-portal";
    static final FakeClerkApi clerk = FakeClerkApi.start();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.admin.token", TOKEN)
            .with("clerk.api.secret-key", FakeClerkApi.KEY)
            .with("clerk.api.url", clerk.baseUrl().toString());

    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final String management = stack.service().managementUrl();
    final WebhookClient http = new WebhookClient(management, RunningService.SECRET);

    @BeforeEach
    void captureTheLog() {
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void releaseTheLog() {
        root().detachAppender(log);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(FakeClerkApi.KEY) || line.contains(clerk.svixPortalUrl().getFragment()));
    }

    @AfterAll
    static void stopClerk() {
        clerk.close();
    }

    @Test
    void the_page_learns_that_a_link_can_be_had() {
        Response available = http.request("GET", PORTAL, Map.of("Authorization", "Bearer " + TOKEN), new byte[0]);

        assertThat(available.status()).isEqualTo(200);
        assertThat(available.json().path("available").asBoolean()).isTrue();
    }

    @Test
    void a_post_answers_the_fresh_portal_link_clerk_gave_for_the_secret_key() {
        int before = clerk.requests().size();

        Response link = post(management);

        assertThat(link.status()).isEqualTo(200);
        assertThat(link.json().path("url").asText()).isEqualTo(clerk.svixPortalUrl().toString());
        assertThat(link.header("Cache-Control")).isEqualTo("no-store");
        List<FakeClerkApi.RecordedRequest> asked = clerk.requests().subList(before, clerk.requests().size());
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/webhooks/svix_url");
            assertThat(request.authorization()).isEqualTo("Bearer " + FakeClerkApi.KEY);
        });
    }

    @Test
    void a_key_clerk_refuses_is_a_502_that_says_so_and_never_shows_the_key() {
        clerk.fault("/v1/webhooks/svix_url", 1, new ErrorStatus(401));

        Response refused = post(management);

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.json().path("error").asText())
                .startsWith("CLERK_SECRET_KEY was rejected (Clerk answered 401)");
        assertThat(refused.body()).doesNotContain(FakeClerkApi.KEY).doesNotContain("sk_test");
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("no Svix portal link: CLERK_SECRET_KEY was rejected"));
    }

    @Test
    void clerk_failing_or_answering_nothing_is_a_502_that_says_which() {
        clerk.fault("/v1/webhooks/svix_url", 1, new ErrorStatus(503));
        Response failing = post(management);
        clerk.fault("/v1/webhooks/svix_url", 1, new DroppedConnection());
        Response silent = post(management);

        assertThat(failing.status()).isEqualTo(502);
        assertThat(failing.json().path("error").asText()).isEqualTo("Clerk answered 503 to POST /webhooks/svix_url: try again in a moment");
        assertThat(silent.status()).isEqualTo(502);
        assertThat(silent.json().path("error").asText())
                .startsWith("cannot reach the Clerk Backend API at " + clerk.baseUrl() + " (CLERK_API_URL)");
    }

    @Test
    void a_page_of_another_site_cannot_ask_for_a_link_and_clerk_is_not_asked() {
        int before = clerk.requests().size();

        Response crossSite = post("https://attacker.example");

        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(clerk.requests()).hasSize(before);
    }

    @Test
    void only_get_and_post_and_only_with_the_admin_token() {
        Response put = http.request("PUT", PORTAL, Map.of("Authorization", "Bearer " + TOKEN), new byte[0]);
        Response anonymous = http.request("POST", PORTAL, Map.of(), new byte[0]);

        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, POST");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    private Response post(String origin) {
        return http.request("POST", PORTAL, Map.of("Authorization", "Bearer " + TOKEN, "Origin", origin), new byte[0]);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
