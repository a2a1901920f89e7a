package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin JSON API (docs/admin-view.md) over both stores, on the management port. */
class AdminApiTest {

    static final String TOKEN = "admin-token-for-tests-7f3a9c";
    static final long T0 = 1_730_000_000_000L;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().with("clerk.admin.token", TOKEN);

    final WebhookClient client = stack.client();
    final AdminClient admin = new AdminClient(stack.service().managementUrl(), TOKEN);

    @Test
    void deliveries_are_listed_newest_first_with_each_stores_outcome() {
        String first = send(ClerkEvents.user("user.created", "user_list_a", T0).json());
        String second = send(ClerkEvents.user("user.updated", "user_list_a", T0 + 1000).json());

        JsonNode page = ok("/admin/api/deliveries?subject=user_list_a").json();

        assertThat(page.get("deliveries")).extracting(d -> d.get("event_id").asText()).containsExactly(second, first);
        JsonNode newest = page.get("deliveries").get(0);
        assertThat(newest.get("event_type").asText()).isEqualTo("user.updated");
        assertThat(newest.get("subject_id").asText()).isEqualTo("user_list_a");
        assertThat(newest.get("user_id").asText()).isEqualTo("user_list_a");
        assertThat(newest.get("outcome").asText()).isEqualTo("applied");
        assertThat(newest.get("stores").get("postgres").asText()).isEqualTo("applied");
        assertThat(newest.get("stores").get("mongodb").asText()).isEqualTo("applied");
        assertThat(newest.get("received_at").asText()).endsWith("Z");
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void each_filter_narrows_the_deliveries_to_the_entries_that_match_it() {
        send(ClerkEvents.user("user.created", "user_filter_b", T0).json());
        String stale = send(ClerkEvents.user("user.updated", "user_filter_b", T0 - 5000).json());
        String session = send(OrganizationEvents.session("sess_filter_b", "user_filter_b", T0 + 10).json());

        assertThat(ids("/admin/api/deliveries?user=user_filter_b")).hasSize(3);
        assertThat(ids("/admin/api/deliveries?subject=user_filter_b")).hasSize(2).doesNotContain(session);
        assertThat(ids("/admin/api/deliveries?user=user_filter_b&outcome=stale")).containsExactly(stale);
        assertThat(ids("/admin/api/deliveries?user=user_filter_b&type=session.created")).containsExactly(session);
        assertThat(ids("/admin/api/deliveries?user=user_filter_b&type=user.deleted")).isEmpty();
    }

    @Test
    void pages_of_fifty_follow_next_through_120_deliveries_without_gaps_or_overlaps() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            sent.add(send(ClerkEvents.user("user.updated", "user_paging", T0 + i * 1000L).json()));
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = ok("/admin/api/deliveries?subject=user_paging&limit=50"
                    + (next == null ? "" : "&before=" + next)).json();
            page.get("deliveries").forEach(d -> seen.add(d.get("event_id").asText()));
            sizes.add(page.get("deliveries").size());
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(sizes).containsExactly(50, 50, 20);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void entries_that_share_one_received_at_millisecond_are_paged_without_gaps_or_overlaps() throws Exception {
        List<String> inserted = AuditRows.insertSameMillisecond(stack, "user_ties", 120);

        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = ok("/admin/api/deliveries?subject=user_ties&limit=50"
                    + (next == null ? "" : "&before=" + next)).json();
            page.get("deliveries").forEach(d -> {
                seen.add(d.get("event_id").asText());
                assertThat(d.get("stores").get("postgres").asText()).isEqualTo("applied");
                assertThat(d.get("stores").get("mongodb").asText()).isEqualTo("applied");
            });
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(seen).hasSize(120).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inserted);
    }

    @Test
    void an_entry_one_store_lacks_shows_null_for_that_store() throws Exception {
        String only = AuditRows.insertSameMillisecond(stack, "user_one_store", 1, false).get(0);

        JsonNode line = ok("/admin/api/deliveries?subject=user_one_store").json().get("deliveries").get(0);
        JsonNode stores = ok("/admin/api/deliveries/" + only).json().get("stores");

        assertThat(line.get("stores").get("postgres").asText()).isEqualTo("applied");
        assertThat(line.get("stores").get("mongodb").isNull()).isTrue();
        assertThat(stores.get("postgres").get("event_id").asText()).isEqualTo(only);
        assertThat(stores.get("mongodb").isNull()).isTrue();
    }

    @Test
    void the_limit_defaults_to_fifty_and_may_not_exceed_two_hundred() {
        for (int i = 0; i < 55; i++) {
            send(ClerkEvents.user("user.updated", "user_limit", T0 + i * 1000L).json());
        }

        assertThat(ids("/admin/api/deliveries?subject=user_limit")).hasSize(50);
        assertThat(ids("/admin/api/deliveries?subject=user_limit&limit=200")).hasSize(55);
        assertThat(admin.get("/admin/api/deliveries?limit=201").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/deliveries?limit=0").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/deliveries?before=not-a-cursor").status()).isEqualTo(400);
    }

    @Test
    void one_delivery_shows_each_stores_audit_entry_with_its_payload() {
        String id = send(ClerkEvents.user("user.created", "user_detail", T0).firstName("Ada").json());

        JsonNode stores = ok("/admin/api/deliveries/" + id).json().get("stores");

        assertThat(stores.get("postgres").get("event_id").asText()).isEqualTo(id);
        assertThat(stores.get("postgres").get("payload").get("data").get("first_name").asText()).isEqualTo("Ada");
        assertThat(stores.get("mongodb").get("_id").asText()).isEqualTo(id);
        assertThat(stores.get("mongodb").get("payload").get("data").get("first_name").asText()).isEqualTo("Ada");
    }

    @Test
    void an_unknown_delivery_record_or_path_answers_404() {
        assertThat(admin.get("/admin/api/deliveries/msg_nobody_sent_this").status()).isEqualTo(404);
        assertThat(admin.get("/admin/api/records/user_nobody").status()).isEqualTo(404);
        assertThat(admin.get("/admin/api/records/no_prefix_nobody").status()).isEqualTo(404);
        assertThat(admin.get("/admin/api/nothing-here").status()).isEqualTo(404);
        assertThat(admin.get("/admin/nothing-here").status()).isEqualTo(404);
    }

    @Test
    void a_user_record_shows_both_stores_agreeing_with_its_memberships_and_deliveries() {
        send(ClerkEvents.user("user.created", "user_record", T0).firstName("Grace").json());
        send(OrganizationEvents.organization("organization.created", "org_record", T0).json());
        send(OrganizationEvents.membership("organizationMembership.created", "orgmem_record", "org_record",
                "user_record", T0).json());

        JsonNode record = ok("/admin/api/records/user_record").json();

        assertThat(record.get("kind").asText()).isEqualTo("user");
        assertThat(record.get("stores").get("postgres").get("first_name").asText()).isEqualTo("Grace");
        assertThat(record.get("stores").get("mongodb").get("firstName").asText()).isEqualTo("Grace");
        assertThat(record.get("agree").asBoolean()).isTrue();
        assertThat(record.get("differences")).isEmpty();
        assertThat(record.get("memberships")).extracting(m -> m.get("id").asText()).containsExactly("orgmem_record");
        assertThat(record.get("deliveries")).extracting(d -> d.get("event_type").asText())
                .containsExactly("organizationMembership.created", "user.created");
        assertThat(ok("/admin/api/records/org_record").json().get("kind").asText()).isEqualTo("organization");
        assertThat(ok("/admin/api/records/orgmem_record").json().get("kind").asText()).isEqualTo("membership");
    }

    @Test
    void a_record_changed_behind_the_services_back_in_mongodb_is_shown_as_disagreeing() {
        send(ClerkEvents.user("user.created", "user_drift", T0).firstName("Alan").json());
        stack.mongo().database().getCollection("users")
                .updateOne(Filters.eq("_id", "user_drift"), Updates.set("firstName", "Mallory"));

        JsonNode record = ok("/admin/api/records/user_drift").json();

        assertThat(record.get("agree").asBoolean()).isFalse();
        assertThat(record.get("differences")).extracting(JsonNode::asText).containsExactly("first_name");
        assertThat(record.get("stores").get("postgres").get("first_name").asText()).isEqualTo("Alan");
        assertThat(record.get("stores").get("mongodb").get("firstName").asText()).isEqualTo("Mallory");
    }

    @Test
    void status_shows_store_health_recent_outcomes_no_change_event_backlog_and_the_newest_backfill_run() throws Exception {
        send(ClerkEvents.user("user.created", "user_status", T0).json());

        JsonNode status = ok("/admin/api/status").json();

        assertThat(status.get("stores").get("postgres").get("healthy").asBoolean()).isTrue();
        assertThat(status.get("stores").get("mongodb").get("healthy").asBoolean()).isTrue();
        assertThat(status.get("deliveries").get("last_hour").get("applied").asLong()).isPositive();
        assertThat(status.get("deliveries").get("last_day").get("applied").asLong())
                .isGreaterThanOrEqualTo(status.get("deliveries").get("last_hour").get("applied").asLong());
        assertThat(status.get("change_events").isNull()).isTrue();
        assertThat(status.get("last_backfill").isNull()).isTrue();

        AuditRows.insertBackfillRun(stack, "run_older", "2026-01-01T00:00:00Z");
        AuditRows.insertBackfillRun(stack, "run_newest", "2026-01-02T00:00:00Z");
        JsonNode backfill = ok("/admin/api/status").json().get("last_backfill");

        assertThat(backfill.get("run_id").asText()).isEqualTo("run_newest");
        assertThat(backfill.get("status").asText()).isEqualTo("done");
        assertThat(backfill.get("started_at").asText()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(backfill.has("checkpoint")).as("internal bookkeeping stays out").isFalse();
    }

    private String send(String payload) {
        String id = WebhookClient.newMessageId();
        assertThat(client.send(id, payload).status()).isEqualTo(200);
        return id;
    }

    private Response ok(String path) {
        Response response = admin.get(path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private List<String> ids(String path) {
        List<String> ids = new ArrayList<>();
        ok(path).json().get("deliveries").forEach(d -> ids.add(d.get("event_id").asText()));
        return ids;
    }

    @Test
    void without_clerk_secret_key_there_is_no_svix_portal_link_and_the_answer_says_why() {
        JsonNode portal = ok("/admin/api/svix-portal").json();
        Response post = admin.request("POST", "/admin/api/svix-portal");

        assertThat(portal.path("available").asBoolean()).isFalse();
        assertThat(portal.path("reason").asText()).contains("CLERK_SECRET_KEY");
        assertThat(post.status()).isEqualTo(404);
        assertThat(post.json().path("error").asText()).isEqualTo(portal.path("reason").asText());
    }
}
