package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.FakeClerkApi.Latency;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Asking Clerk for the Svix portal link, the answers the running service's test cannot give: nothing
 * listening at CLERK_API_URL, Clerk too slow, Clerk's own reason for a 4xx, a link that is not http(s).
 */
class SvixPortalTest {

    static final FakeClerkApi clerk = FakeClerkApi.start();

    @AfterAll
    static void stopClerk() {
        clerk.close();
    }

    @Test
    void nothing_listening_at_the_api_url_is_connection_refused_naming_the_url() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }
        SvixPortal portal = new SvixPortal(closed, FakeClerkApi.KEY, Duration.ofSeconds(2));

        assertThatThrownBy(portal::link).isInstanceOf(SvixPortal.SvixPortalException.class)
                .hasMessage("cannot reach the Clerk Backend API at " + closed + " (CLERK_API_URL): connection refused");
    }

    @Test
    void clerk_slower_than_the_timeout_is_no_answer_within_it() {
        clerk.fault("/v1/webhooks/svix_url", 1, new Latency(Duration.ofSeconds(3)));
        SvixPortal portal = new SvixPortal(clerk.baseUrl(), FakeClerkApi.KEY, Duration.ofSeconds(1));

        assertThatThrownBy(portal::link).isInstanceOf(SvixPortal.SvixPortalException.class)
                .hasMessage("cannot reach the Clerk Backend API at " + clerk.baseUrl() + " (CLERK_API_URL): no answer within 1 s");
    }

    @Test
    void a_4xx_says_clerk_s_own_reason() {
        clerk.fault("/v1/webhooks/svix_url", 1, new ErrorStatus(400));
        SvixPortal portal = new SvixPortal(clerk.baseUrl(), FakeClerkApi.KEY, Duration.ofSeconds(2));

        assertThatThrownBy(portal::link).isInstanceOf(SvixPortal.SvixPortalException.class)
                .hasMessage("Clerk answered 400 to POST /webhooks/svix_url: Injected by the test");
    }

    @Test
    void a_link_that_is_not_http_is_refused_whatever_clerk_answers() throws Exception {
        SvixPortal portal = new SvixPortal(clerk.baseUrl(), FakeClerkApi.KEY, Duration.ofSeconds(2));
        assertThat(portal.link()).isEqualTo(clerk.svixPortalUrl());

        clerk.answerSvixUrl("javascript:alert(document.cookie)");

        assertThatThrownBy(portal::link).isInstanceOf(SvixPortal.SvixPortalException.class)
                .hasMessage("Clerk answered POST /webhooks/svix_url without an http(s) svix_url");
    }
}
