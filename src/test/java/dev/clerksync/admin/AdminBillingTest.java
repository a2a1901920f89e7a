package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.BillingEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin view of billing records (docs/billing.md): a billing record has its own record page with
 * every store's copy side by side, and a user's page lists the billing records the user pays for;
 * with both stores and with MongoDB alone (which then answers the lists).
 */
class AdminBillingTest {

    static final String TOKEN = "admin-billing-token";

    @ParameterizedTest(name = "stores: {0}")
    @ValueSource(strings = {"postgres,mongodb", "mongodb"})
    void a_billing_record_has_its_page_and_its_payers_page_lists_it(String stores) {
        try (PostgresDatabase postgres = stores.contains("postgres") ? PostgresDatabase.create() : null;
             MongoTestServer mongo = MongoTestServer.start();
             RunningService service = RunningService.start(postgres, mongo, Map.of("clerk.admin.token", TOKEN))) {
            WebhookClient client = service.client();
            for (String type : List.of("subscription.created", "paymentAttempt.created")) {
                assertThat(client.send(BillingEvents.example(type, "adm", "user_adm").toString()).field("status"))
                        .isEqualTo("applied");
            }
            assertThat(client.send(dev.clerksync.support.ClerkEvents.user("user.created", "user_adm", 1_716_000_000_000L)
                    .json()).field("status")).isEqualTo("applied");
            AdminClient admin = new AdminClient(service.managementUrl(), TOKEN);

            for (String[] record : new String[][] {{"csub_adm", "subscription"}, {"csub_item_adm", "subscriptionItem"},
                    {"pa_adm", "paymentAttempt"}}) {
                JsonNode page = admin.get("/admin/api/records/" + record[0]).json();
                assertThat(page.get("kind").asText()).isEqualTo(record[1]);
                assertThat(page.get("agree").asBoolean()).as(record[0] + " " + page.get("differences")).isTrue();
                assertThat(page.get("stores").get("mongodb").get("_id").asText()).isEqualTo(record[0]);
                assertThat(page.get("billing")).isEmpty();
            }
            JsonNode subscription = admin.get("/admin/api/records/csub_adm").json();
            assertThat(subscription.get("deliveries")).hasSize(1);
            if (postgres != null) {
                assertThat(subscription.get("stores").get("postgres").get("status").asText()).isEqualTo("active");
            }

            JsonNode user = admin.get("/admin/api/records/user_adm").json();
            List<String> listed = new ArrayList<>();
            user.get("billing").forEach(entry -> listed.add(entry.get("kind").asText() + " " + entry.get("id").asText()
                    + " " + entry.get("status").asText()));
            assertThat(listed).containsExactly("subscription csub_adm active", "subscriptionItem csub_item_adm active",
                    "paymentAttempt pa_adm pending");
        }
    }
}
