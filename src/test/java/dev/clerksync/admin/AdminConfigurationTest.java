package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.ClerkSyncApplication;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.RunningService;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How ADMIN_TOKEN combines with the other settings. */
class AdminConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void the_admin_view_refuses_to_start_on_a_management_port_that_is_the_webhook_port() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>(mongodbOnly());
        settings.put("clerk.admin.token", "t");
        settings.put("camel.server.port", Integer.toString(port));
        settings.put("camel.management.port", Integer.toString(port));
        Main main = ClerkSyncApplication.createMain(Path.of(""), settings);
        try {
            assertThatThrownBy(main::start).hasStackTraceContaining("MANAGEMENT_PORT");
        } finally {
            main.stop();
        }
    }

    @Test
    void without_a_management_server_and_without_a_token_the_service_still_starts() {
        Map<String, String> settings = new HashMap<>(mongodbOnly());
        settings.put("camel.management.enabled", "false");
        try (RunningService service = RunningService.start(settings)) {
            assertThat(service.client().send(ClerkEvents.user("user.created", "user_no_management", 1_730_000_000_000L)
                    .json()).status()).isEqualTo(200);
        }
    }

    @Test
    void the_token_and_its_file_together_are_refused_naming_both_variables() throws Exception {
        Path file = Files.writeString(dataDir.resolve("token"), "from-file");
        Map<String, String> settings = new HashMap<>(mongodbOnly());
        settings.put("clerk.admin.token", "direct");
        settings.put("clerk.admin.token-file", file.toString());

        assertThatThrownBy(() -> RunningService.start(settings)).hasStackTraceContaining("ADMIN_TOKEN_FILE")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("from-file"));
    }

    @Test
    void with_mongodb_alone_the_view_reads_mongodb_and_names_no_other_store() {
        Map<String, String> settings = new HashMap<>(mongodbOnly());
        settings.put("clerk.admin.token", "mongo-only-token");
        try (RunningService service = RunningService.start(settings)) {
            service.client().send(ClerkEvents.user("user.created", "user_mongo_only", 1_730_000_000_000L).json());
            AdminClient admin = new AdminClient(service.managementUrl(), "mongo-only-token");

            JsonNode deliveries = admin.get("/admin/api/deliveries").json();
            JsonNode record = admin.get("/admin/api/records/user_mongo_only").json();
            JsonNode status = admin.get("/admin/api/status").json();

            assertThat(deliveries.get("deliveries").get(0).get("stores").fieldNames()).toIterable().containsExactly("mongodb");
            assertThat(record.get("stores").fieldNames()).toIterable().containsExactly("mongodb");
            assertThat(record.get("agree").asBoolean()).isTrue();
            assertThat(status.get("deliveries").get("store").asText()).isEqualTo("mongodb");
            assertThat(status.get("deliveries").get("last_hour").get("applied").asLong()).isEqualTo(1);
            assertThat(status.get("last_backfill").isNull()).isTrue();
            assertThat(status.get("stores").get("mongodb").get("label").asText())
                    .isEqualTo("embedded MongoDB (" + dataDir + ")");
            assertThat(status.get("stores").get("mongodb").get("engine").asText()).isEqualTo("embedded-mongodb");
        }
    }

    @Test
    void with_mongodb_alone_the_lists_and_their_search_read_mongodb() {
        Map<String, String> settings = new HashMap<>(mongodbOnly());
        settings.put("clerk.admin.token", "mongo-only-token");
        try (RunningService service = RunningService.start(settings)) {
            ClerkEvents grace = ClerkEvents.user("user.created", "user_mongo_b", 1_730_000_000_000L)
                    .email("Grace.Hopper@example.org").firstName("Grace");
            grace.data().put("last_name", "Hopper");
            service.client().send(grace.json());
            service.client().send(ClerkEvents.user("user.created", "user_mongo_a", 1_730_000_000_000L).json());
            service.client().send(OrganizationEvents.organization("organization.created", "org_mongo_list", 1_730_000_000_000L)
                    .name("Navy Labs").json());
            AdminClient admin = new AdminClient(service.managementUrl(), "mongo-only-token");

            JsonNode all = admin.get("/admin/api/users?limit=1").json();
            JsonNode rest = admin.get("/admin/api/users?limit=1&after=" + all.get("next").asText()).json();
            JsonNode byEmail = admin.get("/admin/api/users?q=grace.hopper%40EXAMPLE.org").json();
            JsonNode byFullName = admin.get("/admin/api/users?q=grace%20hopper").json();
            JsonNode organizations = admin.get("/admin/api/organizations?q=navy").json();

            assertThat(all.get("store").asText()).isEqualTo("mongodb");
            assertThat(all.get("users")).extracting(u -> u.get("id").asText()).containsExactly("user_mongo_b");
            assertThat(rest.get("users")).extracting(u -> u.get("id").asText()).containsExactly("user_mongo_a");
            assertThat(rest.get("next").isNull()).isTrue();
            assertThat(byEmail.get("users")).extracting(u -> u.get("id").asText()).containsExactly("user_mongo_b");
            assertThat(byEmail.get("users").get(0).get("email").asText()).isEqualTo("Grace.Hopper@example.org");
            assertThat(byEmail.get("users").get(0).get("last_name").asText()).isEqualTo("Hopper");
            assertThat(byEmail.get("users").get(0).get("created_at").asText()).endsWith("Z");
            assertThat(byFullName.get("users")).extracting(u -> u.get("id").asText()).containsExactly("user_mongo_b");
            assertThat(organizations.get("organizations")).extracting(o -> o.get("id").asText()).containsExactly("org_mongo_list");
        }
    }

    private Map<String, String> mongodbOnly() {
        return Map.of("clerk.webhook.secret", RunningService.SECRET, "clerk.sync.stores", "mongodb",
                "clerk.mongodb.uri", "", "clerk.data.dir", dataDir.toString());
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
