package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API's lists of users and organizations (GET /admin/api/users, /admin/api/organizations)
 * over real PostgreSQL, the deciding store: pages in descending id order, and a search by id,
 * email, name, username or slug. Each test's records share a word that no other test's hold.
 */
class AdminListsTest {

    static final String TOKEN = "lists-token-5d1e07";
    static final long T0 = 1_730_000_000_000L;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().with("clerk.admin.token", TOKEN);

    final AdminClient admin = new AdminClient(stack.service().managementUrl(), TOKEN);

    @Test
    void users_are_paged_in_descending_id_order_through_next_without_gaps_or_overlaps() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = String.format("user_pages%02d", i);
            send(ClerkEvents.user("user.created", id, T0).json());
            sent.add(id);
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = ok("/admin/api/users?q=user_pages&limit=10" + (next == null ? "" : "&after=" + next)).json();
            assertThat(page.get("store").asText()).isEqualTo("postgres");
            page.get("users").forEach(user -> seen.add(user.get("id").asText()));
            sizes.add(page.get("users").size());
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);

        assertThat(sizes).containsExactly(10, 10, 3);
        assertThat(seen).containsExactlyElementsOf(sent.stream().sorted(Comparator.reverseOrder()).toList());
    }

    @Test
    void a_user_is_found_by_id_email_first_last_or_full_name_and_username_whatever_the_case() {
        ClerkEvents ada = ClerkEvents.user("user.created", "user_searched", T0).email("ada.finder@example.org")
                .firstName("Adafind");
        ada.data().put("last_name", "Lovefind").put("username", "adafind_username");
        send(ada.json());
        send(ClerkEvents.user("user.created", "user_not_searched", T0).firstName("Someone").json());

        for (String q : List.of("user_searched", "ada.finder@example.org", "ADA.FINDER", "adafind",
                "LOVEFIND", "Adafind Lovefind", "adafind_username")) {
            assertThat(ids("/admin/api/users?q=" + encoded(q), "users")).as(q).containsExactly("user_searched");
        }
        assertThat(ids("/admin/api/users?q=user_searche", "users")).as("an id is found whole").isEmpty();
        assertThat(ids("/admin/api/users?q=" + encoded("ada%finder"), "users"))
                .as("% is a character, not a wildcard").isEmpty();
        assertThat(ids("/admin/api/users?q=" + encoded("nobody-has-this@example.org"), "users")).isEmpty();
    }

    @Test
    void each_listed_user_has_its_email_names_times_and_deletion() {
        send(ClerkEvents.user("user.created", "user_fields", T0).email("fields@example.org").firstName("Fieldy").json());
        send(ClerkEvents.deleted("user_fields_gone", T0).json());

        JsonNode user = ok("/admin/api/users?q=fields@example.org").json().get("users").get(0);
        JsonNode gone = ok("/admin/api/users?q=user_fields_gone").json().get("users").get(0);

        assertThat(user.get("id").asText()).isEqualTo("user_fields");
        assertThat(user.get("email").asText()).isEqualTo("fields@example.org");
        assertThat(user.get("first_name").asText()).isEqualTo("Fieldy");
        assertThat(user.get("updated_at").asText()).isEqualTo("2024-10-27T03:33:20Z");
        assertThat(user.get("deleted_at").isNull()).isTrue();
        assertThat(user.has("data")).as("the list leaves the Clerk object to the record page").isFalse();
        assertThat(gone.get("deleted_at").asText()).endsWith("Z");
        assertThat(gone.get("email").isNull()).isTrue();
    }

    @Test
    void organizations_are_found_by_id_name_or_slug_and_paged() {
        for (int i = 0; i < 5; i++) {
            OrganizationEvents organization = OrganizationEvents.organization("organization.created", "org_orgsearch" + i, T0)
                    .name("Orgsearch Corp " + i);
            organization.data().put("slug", "orgsearch-slug-" + i);
            send(organization.json());
        }

        JsonNode first = ok("/admin/api/organizations?q=orgsearch&limit=3").json();
        JsonNode second = ok("/admin/api/organizations?q=orgsearch&limit=3&after=" + first.get("next").asText()).json();

        assertThat(first.get("organizations")).extracting(o -> o.get("id").asText())
                .containsExactly("org_orgsearch4", "org_orgsearch3", "org_orgsearch2");
        assertThat(second.get("organizations")).extracting(o -> o.get("id").asText())
                .containsExactly("org_orgsearch1", "org_orgsearch0");
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(ids("/admin/api/organizations?q=ORGSEARCH-SLUG-3", "organizations")).containsExactly("org_orgsearch3");
        assertThat(ids("/admin/api/organizations?q=" + encoded("orgsearch corp 1"), "organizations"))
                .containsExactly("org_orgsearch1");
        assertThat(ids("/admin/api/organizations?q=org_orgsearch0", "organizations")).containsExactly("org_orgsearch0");
        JsonNode organization = first.get("organizations").get(0);
        assertThat(organization.get("name").asText()).isEqualTo("Orgsearch Corp 4");
        assertThat(organization.get("slug").asText()).isEqualTo("orgsearch-slug-4");
    }

    @Test
    void the_limit_of_a_list_is_at_most_two_hundred() {
        assertThat(admin.get("/admin/api/users?limit=201").status()).isEqualTo(400);
        assertThat(admin.get("/admin/api/organizations?limit=0").status()).isEqualTo(400);
        assertThat(ok("/admin/api/users?limit=200").json().get("users").isArray()).isTrue();
    }

    @Test
    void status_names_each_store_by_what_it_is_under_the_contracts_keys() {
        JsonNode stores = ok("/admin/api/status").json().get("stores");

        assertThat(stores.get("postgres").get("label").asText()).isEqualTo("PostgreSQL");
        assertThat(stores.get("postgres").get("engine").asText()).isEqualTo("postgresql");
        assertThat(stores.get("postgres").get("healthy").asBoolean()).isTrue();
        assertThat(stores.get("mongodb").get("label").asText()).isEqualTo("MongoDB");
        assertThat(stores.get("mongodb").get("engine").asText()).isEqualTo("mongodb");
    }

    private void send(String payload) {
        assertThat(stack.client().send(WebhookClient.newMessageId(), payload).status()).isEqualTo(200);
    }

    private Response ok(String path) {
        Response response = admin.get(path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    private static String encoded(String q) {
        return URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    private List<String> ids(String path, String kind) {
        List<String> ids = new ArrayList<>();
        ok(path).json().get(kind).forEach(record -> ids.add(record.get("id").asText()));
        return ids;
    }
}
