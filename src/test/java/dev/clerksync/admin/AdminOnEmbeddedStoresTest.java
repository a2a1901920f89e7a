package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API reads H2 and the embedded MongoDB-wire server as it reads PostgreSQL and MongoDB. */
class AdminOnEmbeddedStoresTest {

    static final String TOKEN = "embedded-admin-token";

    @TempDir
    Path dataDir;

    @Test
    void deliveries_pages_records_lists_and_status_come_from_the_embedded_stores() {
        Map<String, String> settings = Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.mongodb.uri", "",
                "clerk.sync.stores", "postgres,mongodb",
                "clerk.admin.token", TOKEN);
        try (RunningService service = RunningService.start(settings)) {
            WebhookClient client = service.client();
            AdminClient admin = new AdminClient(service.managementUrl(), TOKEN);
            long t0 = 1_730_000_000_000L;
            for (int i = 0; i < 5; i++) {
                client.send(ClerkEvents.user("user.updated", "user_h2", t0 + i).firstName("Name " + i).json());
            }
            client.send(OrganizationEvents.membership("organizationMembership.created", "orgmem_h2", "org_h2", "user_h2", t0).json());

            JsonNode first = admin.get("/admin/api/deliveries?user=user_h2&limit=4").json();
            JsonNode second = admin.get("/admin/api/deliveries?user=user_h2&limit=4&before=" + first.get("next").asText()).json();
            JsonNode record = admin.get("/admin/api/records/user_h2").json();
            JsonNode status = admin.get("/admin/api/status").json();

            assertThat(first.get("deliveries")).hasSize(4);
            assertThat(second.get("deliveries")).hasSize(2);
            assertThat(second.get("next").isNull()).isTrue();
            assertThat(first.get("deliveries").get(0).get("stores").get("mongodb").asText()).isEqualTo("applied");
            assertThat(record.get("agree").asBoolean()).as(record.toString()).isTrue();
            assertThat(record.get("stores").get("postgres").get("first_name").asText()).isEqualTo("Name 4");
            assertThat(record.get("stores").get("postgres").get("data").get("id").asText()).isEqualTo("user_h2");
            assertThat(record.get("memberships")).extracting(m -> m.get("id").asText()).containsExactly("orgmem_h2");
            assertThat(status.get("deliveries").get("last_day").get("applied").asLong()).isEqualTo(6);
            assertThat(status.get("stores").get("postgres").get("label").asText()).isEqualTo("embedded H2 (" + dataDir + ")");
            assertThat(status.get("stores").get("postgres").get("engine").asText()).isEqualTo("h2");
            assertThat(status.get("stores").get("mongodb").get("label").asText()).isEqualTo("embedded MongoDB (" + dataDir + ")");
            JsonNode users = admin.get("/admin/api/users?q=USER_H2%40example.com").json();
            assertThat(users.get("users")).extracting(u -> u.get("id").asText()).containsExactly("user_h2");
            assertThat(users.get("users").get(0).get("first_name").asText()).isEqualTo("Name 4");
            assertThat(admin.get("/admin/api/users?q=name%204").json().get("users")).hasSize(1);
            assertThat(admin.get("/admin/api/organizations").json().get("organizations")).isEmpty();
        }
    }
}
