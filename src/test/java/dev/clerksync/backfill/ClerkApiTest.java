package dev.clerksync.backfill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.DroppedConnection;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.FakeClerkApi.Latency;
import dev.clerksync.support.FakeClerkApi.RecordedRequest;
import dev.clerksync.support.FakeClerkApi.TooManyRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ClerkApiTest {

    private static final Duration FAST_BACKOFF = Duration.ofMillis(10);

    private FakeClerkApi clerk;

    @BeforeEach
    void startClerk() {
        clerk = FakeClerkApi.start();
    }

    @AfterEach
    void noRequestEverAskedForMoreThan500RowsOrLeakedTheKeyIntoTheUrl() {
        try {
            for (RecordedRequest request : clerk.requests()) {
                if (request.param("limit") != null) {
                    assertThat(Integer.parseInt(request.param("limit"))).as(request.toString()).isBetween(1, 500);
                }
                assertThat(String.valueOf(request.rawQuery())).doesNotContain("sk_");
            }
        } finally {
            clerk.close();
        }
    }

    private ClerkApi api(int rate) {
        return new ClerkApi(clerk.baseUrl(), FakeClerkApi.KEY, new RequestPacer(rate), Duration.ofSeconds(5), FAST_BACKOFF);
    }

    private static List<String> ids(Iterable<JsonNode> nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(node -> ids.add(node.path("id").asText()));
        return ids;
    }

    @Test
    void pages_through_more_than_two_pages_of_users_oldest_first_with_at_most_500_a_page() {
        List<String> created = clerk.generateUsers(1203);
        ClerkApi api = api(0);

        List<String> seen = new ArrayList<>();
        ArrayNode page;
        do {
            page = api.usersPage(seen.size(), ClerkApi.MAX_PAGE_SIZE);
            seen.addAll(ids(page));
        } while (page.size() == ClerkApi.MAX_PAGE_SIZE);

        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(api.countUsers()).isEqualTo(1203);
        List<RecordedRequest> lists = clerk.requests().stream().filter(r -> r.path().equals("/v1/users")).toList();
        assertThat(lists).hasSize(3);
        assertThat(lists).allSatisfy(request -> {
            assertThat(request.param("limit")).isEqualTo("500");
            // Encoded, or Clerk would read the + as a space.
            assertThat(request.rawQuery()).contains("order_by=%2Bcreated_at");
        });
        assertThat(lists).extracting(r -> r.param("offset")).containsExactly("0", "500", "1000");
        assertThat(api.requests()).isEqualTo(4);
    }

    @Test
    void walks_users_with_the_starting_after_cursor_too() {
        List<String> created = clerk.generateUsers(1203);
        ClerkApi api = api(0);

        List<String> seen = new ArrayList<>();
        ArrayNode page;
        do {
            page = api.usersAfter(seen.isEmpty() ? null : seen.get(seen.size() - 1), ClerkApi.MAX_PAGE_SIZE);
            seen.addAll(ids(page));
        } while (page.size() == ClerkApi.MAX_PAGE_SIZE);

        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(clerk.requests()).extracting(r -> r.param("starting_after"))
                .containsExactly(null, created.get(499), created.get(999));
    }

    @Test
    void users_created_during_a_pass_land_on_the_last_page() {
        List<String> created = clerk.generateUsers(12);
        clerk.onRequest(r -> r.path().equals("/v1/users"), () -> clerk.add(clerk.newUser("user_latecomer")));
        ClerkApi api = api(0);

        List<String> seen = new ArrayList<>();
        ArrayNode page;
        do {
            page = api.usersPage(seen.size(), 5);
            seen.addAll(ids(page));
        } while (page.size() == 5);

        assertThat(seen).startsWith(created.toArray(String[]::new)).endsWith("user_latecomer").hasSize(13);
    }

    @Test
    void a_user_deleted_during_a_cursor_walk_does_not_push_a_later_user_out_of_it() {
        List<String> created = clerk.generateUsers(12);
        // After the first page, one of its users is deleted: with offsets the next page would start one user late.
        clerk.onRequest(r -> r.param("starting_after") != null, () -> clerk.delete(created.get(0)));
        ClerkApi api = api(0);

        List<String> seen = new ArrayList<>();
        ArrayNode page;
        do {
            page = api.usersAfter(seen.isEmpty() ? null : seen.get(seen.size() - 1), 5);
            seen.addAll(ids(page));
        } while (page.size() == 5);

        assertThat(seen).containsExactlyElementsOf(created);
    }

    @Test
    void pages_through_more_than_two_pages_of_organizations_and_of_one_organizations_memberships() {
        List<String> members = clerk.generateUsers(17);
        List<String> organizations = clerk.generateOrganizations(11, members.subList(0, 2));
        clerk.add(clerk.newOrganization("org_big"));
        for (int i = 0; i < members.size(); i++) {
            clerk.add(clerk.newMembership("orgmem_big_" + i, "org_big", members.get(i)));
        }
        ClerkApi api = api(0);

        List<String> seenOrganizations = new ArrayList<>();
        ClerkApi.Page page;
        do {
            page = api.organizationsPage(seenOrganizations.size(), 5);
            seenOrganizations.addAll(ids(page.data()));
            assertThat(page.totalCount()).isEqualTo(12);
        } while (page.data().size() == 5);
        assertThat(seenOrganizations).hasSize(12).startsWith(organizations.toArray(String[]::new)).endsWith("org_big");

        List<String> memberUserIds = new ArrayList<>();
        int offset = 0;
        do {
            page = api.membershipsPage("org_big", offset, 5);
            offset += page.data().size();
            page.data().forEach(m -> memberUserIds.add(m.path("public_user_data").path("user_id").asText()));
            assertThat(page.totalCount()).isEqualTo(17);
        } while (page.data().size() == 5);
        assertThat(memberUserIds).containsExactlyElementsOf(members);
        assertThat(clerk.requests()).filteredOn(r -> r.path().endsWith("/memberships"))
                .hasSize(4).allSatisfy(r -> assertThat(r.rawQuery()).contains("order_by=%2Bcreated_at"));
    }

    @Test
    void an_organization_deleted_after_it_was_listed_has_no_memberships() {
        clerk.generateUsers(1);
        clerk.generateOrganizations(1, List.of("user_000001"));
        ClerkApi api = api(0);
        assertThat(api.organizationsPage(0, 10).data()).hasSize(1);
        clerk.delete("org_000001");

        ClerkApi.Page page = api.membershipsPage("org_000001", 0, 500);

        assertThat(page.data()).isEmpty();
        assertThat(page.totalCount()).isZero();
    }

    @Test
    void refuses_to_ask_for_more_than_500_rows_without_sending_anything() {
        ClerkApi api = api(0);

        assertThatThrownBy(() -> api.usersPage(0, 501)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.organizationsPage(0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.usersAfter(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clerk.requests()).isEmpty();
    }

    @Test
    void single_objects_are_found_or_answered_404_as_gone() {
        clerk.generateUsers(2);
        clerk.generateOrganizations(1, List.of("user_000001"));
        ClerkApi api = api(0);

        assertThat(api.user("user_000002")).get().extracting(u -> u.path("id").asText()).isEqualTo("user_000002");
        assertThat(api.user("user_gone")).isEmpty();
        assertThat(api.organization("org_000001")).isPresent();
        assertThat(api.organization("org_gone")).isEmpty();
        assertThat(api.membership("org_000001", "user_000001")).get()
                .extracting(m -> m.path("id").asText()).isEqualTo("orgmem_000001_000001");
        assertThat(api.membership("org_000001", "user_000002")).isEmpty();
        assertThat(api.membership("org_gone", "user_000001")).isEmpty();
        RecordedRequest lookup = clerk.requests().get(4);
        assertThat(lookup.path()).isEqualTo("/v1/organizations/org_000001/memberships");
        assertThat(lookup.params("user_id")).containsExactly("user_000001");
    }

    @Test
    void an_id_that_could_change_the_path_is_refused() {
        ClerkApi api = api(0);

        assertThatThrownBy(() -> api.user("../organizations")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> api.membership("org_1", "user_1?x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(clerk.requests()).isEmpty();
    }

    @Test
    void after_a_429_no_request_is_sent_before_retry_after_has_passed() {
        clerk.generateUsers(3);
        clerk.fault("/v1/users", 2, new TooManyRequests(1));
        ClerkApi api = api(0);

        assertThat(api.usersPage(0, 10)).hasSize(3);

        List<RecordedRequest> requests = clerk.requests();
        assertThat(requests).extracting(RecordedRequest::status).containsExactly(429, 429, 200);
        for (int i = 1; i < requests.size(); i++) {
            assertThat(Duration.ofNanos(requests.get(i).nanos() - requests.get(i - 1).nanos()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(api.rateLimited()).isEqualTo(2);
        assertThat(api.requests()).isEqualTo(3);
    }

    @Test
    void a_retry_after_also_holds_back_the_other_requests_of_the_run() {
        clerk.generateUsers(3);
        clerk.fault("/v1/users/count", 1, new TooManyRequests(1));
        ClerkApi api = api(0);

        assertThat(api.countUsers()).isEqualTo(3);
        api.user("user_000001");

        List<RecordedRequest> requests = clerk.requests();
        assertThat(Duration.ofNanos(requests.get(2).nanos() - requests.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_429_without_retry_after_waits_a_second() {
        clerk.fault("/v1/users/count", 1, new TooManyRequests((String) null));
        ClerkApi api = api(0);

        api.countUsers();

        List<RecordedRequest> requests = clerk.requests();
        assertThat(Duration.ofNanos(requests.get(1).nanos() - requests.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_key_rate_limited_without_end_stops_the_request_with_a_clear_exception() {
        clerk.fault("/v1/users/count", 100, new TooManyRequests(0));
        ClerkApi api = api(0);

        assertThatThrownBy(api::countUsers)
                .isInstanceOf(ClerkApiException.class)
                .hasMessageContaining("GET /users/count")
                .hasMessageContaining("429");
        assertThat(clerk.requests()).hasSize(ClerkApi.MAX_RATE_LIMITED_IN_A_ROW);
        assertThat(api.rateLimited()).isEqualTo(ClerkApi.MAX_RATE_LIMITED_IN_A_ROW);
    }

    @Test
    void server_errors_and_dropped_connections_are_retried_until_an_answer_comes() {
        clerk.generateOrganizations(2, List.of());
        clerk.fault("/v1/organizations", 2, new ErrorStatus(503));
        // Two drops: the JDK client itself resends a GET once when a connection closes before any
        // answer, so one drop may never reach ClerkApi.
        clerk.fault("/v1/organizations", 2, new DroppedConnection());
        clerk.fault("/v1/organizations", 1, new ErrorStatus(500));
        ClerkApi api = api(0);

        ClerkApi.Page page = api.organizationsPage(0, 10);

        assertThat(ids(page.data())).containsExactly("org_000001", "org_000002");
        assertThat(clerk.requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 0, 0, 500, 200);
        assertThat(api.requests()).isBetween(5L, 6L);
        assertThat(api.rateLimited()).isZero();
    }

    @Test
    void backoff_doubles_between_tries() {
        clerk.fault("/v1/users", 3, new ErrorStatus(502));
        ClerkApi api = new ClerkApi(clerk.baseUrl(), FakeClerkApi.KEY, new RequestPacer(0), Duration.ofSeconds(5), Duration.ofMillis(100));

        api.usersPage(0, 10);

        List<RecordedRequest> requests = clerk.requests();
        assertThat(Duration.ofNanos(requests.get(1).nanos() - requests.get(0).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(requests.get(2).nanos() - requests.get(1).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(requests.get(3).nanos() - requests.get(2).nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void a_request_that_times_out_is_retried() {
        clerk.generateUsers(1);
        clerk.fault("/v1/users/user_000001", 1, new Latency(Duration.ofSeconds(3)));
        ClerkApi api = new ClerkApi(clerk.baseUrl(), FakeClerkApi.KEY, new RequestPacer(0), Duration.ofMillis(300), FAST_BACKOFF);

        assertThat(api.user("user_000001")).isPresent();
        assertThat(api.requests()).isEqualTo(2);
    }

    @Test
    void five_failed_tries_end_in_an_exception_that_names_the_request_path_and_not_the_key() {
        clerk.fault("/v1/organizations", 3, new ErrorStatus(500));
        clerk.fault("/v1/organizations", 100, new DroppedConnection());
        ClerkApi api = api(0);

        Throwable thrown = catchThrowable(() -> api.organizationsPage(1000, 500));

        assertThat(thrown).isInstanceOf(ClerkApiException.class)
                .hasMessageContaining("GET /organizations?limit=500&offset=1000&order_by=%2Bcreated_at")
                .hasMessageContaining("failed 5 times");
        assertThat(((ClerkApiException) thrown).path()).startsWith("/organizations?");
        assertThat(api.requests()).isEqualTo(5);
        // The JDK client's own resends after a drop are on top: at most one per try.
        assertThat(clerk.requests()).hasSizeBetween(5, 7);
        assertNoKeyIn(thrown);
    }

    @Test
    void a_rejected_key_is_reported_as_exactly_that_without_retrying_and_without_the_key() {
        String wrongKey = "sk_test_NotTheRightKeyAtAll987654321";
        ClerkApi api = new ClerkApi(clerk.baseUrl(), wrongKey, new RequestPacer(0), Duration.ofSeconds(5), FAST_BACKOFF);

        Throwable thrown = catchThrowable(() -> api.usersPage(0, 500));

        assertThat(thrown).isInstanceOf(ClerkKeyRejectedException.class).hasMessage("CLERK_SECRET_KEY was rejected");
        assertThat(((ClerkKeyRejectedException) thrown).status()).isEqualTo(401);
        assertThat(clerk.requests()).hasSize(1);
        assertThat(clerk.requests().get(0).authorization()).isEqualTo("Bearer " + wrongKey);
        assertNoKeyIn(thrown, wrongKey);
        assertThat(api.toString()).doesNotContain(wrongKey);
    }

    @Test
    void a_403_is_a_rejected_key_too() {
        clerk.fault("/v1/organizations", 1, new ErrorStatus(403));

        assertThatThrownBy(() -> api(0).organizationsPage(0, 10))
                .isInstanceOf(ClerkKeyRejectedException.class).hasMessage("CLERK_SECRET_KEY was rejected");
    }

    @Test
    void another_client_error_fails_at_once_naming_the_path() {
        clerk.fault("/v1/users", 1, new ErrorStatus(422));
        ClerkApi api = api(0);

        assertThatThrownBy(() -> api.usersPage(0, 10))
                .isInstanceOf(ClerkApiException.class)
                .hasMessageContaining("GET /users?limit=10&offset=0")
                .hasMessageContaining("422");
        assertThat(clerk.requests()).hasSize(1);
    }

    @Test
    void keeps_to_the_rate_in_every_second_of_the_run() {
        clerk.generateUsers(1);
        int rate = 10;
        ClerkApi api = api(rate);

        // One more than measured: the first opens the connection and warms the client up, which
        // delays its arrival by tens of milliseconds and would make the next gap look short.
        for (int i = 0; i < 2 * rate + 2; i++) {
            api.user("user_000001");
        }

        List<RecordedRequest> all = clerk.requests();
        assertThat(all).hasSize(2 * rate + 2);
        List<RecordedRequest> requests = all.subList(1, all.size());
        // Any `rate` + 1 consecutive requests span a second. The pacer spaces the sends; arrival
        // times at the server jitter by some milliseconds, hence the tolerance. Clerk counts over
        // 10-second windows, where this jitter is nothing.
        for (int i = 0; i + rate < requests.size(); i++) {
            assertThat(Duration.ofNanos(requests.get(i + rate).nanos() - requests.get(i).nanos()))
                    .as("requests %d to %d", i, i + rate)
                    .isGreaterThan(Duration.ofMillis(900));
        }
        assertThat(Duration.ofNanos(requests.get(2 * rate).nanos() - requests.get(0).nanos()))
                .isGreaterThan(Duration.ofMillis(1950));
        // And the pacer does not wait much longer than it must.
        assertThat(Duration.ofNanos(requests.get(2 * rate).nanos() - requests.get(0).nanos())).isLessThan(Duration.ofMillis(3000));
    }

    private static void assertNoKeyIn(Throwable thrown, String... keys) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(FakeClerkApi.KEY).doesNotContain("sk_");
            for (String key : keys) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(key);
            }
        }
    }
}
