package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.AppTables;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.HeadlessChromium;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;

/**
 * A record's page in the admin view shows its rows and documents in the application's own tables
 * (contract §11, docs/admin-view.md {@code mapped}) beside the projection of clerk-sync's own copy:
 * in agreement after deliveries, and with the columns someone changed behind the service's back,
 * a row that is missing and a row that should be gone marked — in the JSON API and, in real
 * Chromium, on the page.
 */
class MappingAdminViewTest {

    static final String TOKEN = "mapped-admin-token-51c2";
    static final long T0 = 1_730_000_000_000L;
    static final Path SCREENSHOTS = Path.of("target", "admin-screenshots");

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static RunningService service;
    static PostgresDatabase postgres;
    static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        postgres = stack.postgres();
        AppTables.create(postgres, stack.mongo());
        Map<String, String> settings = new HashMap<>();
        settings.put("clerk.mappings.dir", AppTables.folder(Files.createTempDirectory("mappings-admin"), AppTables.MAPPINGS).toString());
        settings.put("clerk.admin.token", TOKEN);
        service = RunningService.start(postgres, stack.mongo(), settings);
        admin = new AdminClient(service.managementUrl(), TOKEN);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void a_users_mapped_row_and_document_agree_with_the_projection_after_its_deliveries() {
        send(ClerkEvents.user("user.created", "user_adm_ok", T0).firstName("Ada").json());

        JsonNode mapped = record("user_adm_ok").get("mapped");

        assertThat(mapped).hasSize(2);
        JsonNode row = entry(mapped, "app-users", "postgres");
        assertThat(row.get("target").asText()).isEqualTo("User");
        assertThat(row.get("agree").asBoolean()).as(row.toString()).isTrue();
        assertThat(row.get("differences")).isEmpty();
        assertThat(row.get("row").get("clerkId").asText()).isEqualTo("user_adm_ok");
        assertThat(row.get("row").get("firstName").asText()).isEqualTo("Ada");
        assertThat(row.get("row")).isEqualTo(row.get("expected"));
        JsonNode document = entry(mapped, "app-users", "mongodb");
        assertThat(document.get("target").asText()).isEqualTo("app_users");
        assertThat(document.get("agree").asBoolean()).as(document.toString()).isTrue();
        assertThat(document.get("row").get("name").asText()).isEqualTo("Ada Skywalker");
        assertThat(document.get("row").get("updatedAt").asText()).isEqualTo(document.get("expected").get("updatedAt").asText());
    }

    @Test
    void a_column_and_a_field_changed_behind_the_services_back_are_marked() {
        send(ClerkEvents.user("user.created", "user_adm_edit", T0).firstName("Grace").json());
        AppTables.execute(postgres, "UPDATE \"User\" SET \"firstName\" = 'Edited', \"plan\" = 'pro' WHERE \"clerkId\" = 'user_adm_edit'");
        stack.mongo().database().getCollection("app_users")
                .updateOne(Filters.eq("clerkId", "user_adm_edit"), Updates.set("name", "Edited in MongoDB"));

        JsonNode mapped = record("user_adm_edit").get("mapped");

        JsonNode row = entry(mapped, "app-users", "postgres");
        assertThat(row.get("agree").asBoolean()).isFalse();
        // plan is the application's own column: not mapped, so neither shown nor compared.
        assertThat(row.get("differences")).extracting(JsonNode::asText).containsExactly("firstName");
        assertThat(row.get("row").get("firstName").asText()).isEqualTo("Edited");
        assertThat(row.get("expected").get("firstName").asText()).isEqualTo("Grace");
        assertThat(row.get("row").has("plan")).isFalse();
        JsonNode document = entry(mapped, "app-users", "mongodb");
        assertThat(document.get("differences")).extracting(JsonNode::asText).containsExactly("name");
    }

    @Test
    void a_missing_row_and_a_deleted_records_rows_are_judged_by_on_delete() {
        send(ClerkEvents.user("user.created", "user_adm_gone", T0).json());
        send(OrganizationEvents.membership("organizationMembership.created", "orgmem_adm_1", "org_adm", "user_adm_gone", T0)
                .role("org:admin").json());
        AppTables.execute(postgres, "DELETE FROM \"User\" WHERE \"clerkId\" = 'user_adm_gone'");

        JsonNode missing = entry(record("user_adm_gone").get("mapped"), "app-users", "postgres");
        assertThat(missing.get("agree").asBoolean()).isFalse();
        assertThat(missing.get("row").isNull()).isTrue();
        assertThat(missing.get("expected").get("clerkId").asText()).isEqualTo("user_adm_gone");

        send(ClerkEvents.deleted("user_adm_gone", T0 + 1000).json());

        // on-delete: delete — no row expected, none there.
        JsonNode deleted = entry(record("user_adm_gone").get("mapped"), "app-users", "mongodb");
        assertThat(deleted.get("agree").asBoolean()).isTrue();
        assertThat(deleted.get("row").isNull()).isTrue();
        assertThat(deleted.get("expected").isNull()).isTrue();
        // on-delete: keep — the cascaded membership's row keeps its key, every mapped column null.
        JsonNode kept = entry(record("orgmem_adm_1").get("mapped"), "app-memberships", "postgres");
        assertThat(kept.get("agree").asBoolean()).as(kept.toString()).isTrue();
        assertThat(kept.get("expected").get("clerkId").asText()).isEqualTo("orgmem_adm_1");
        assertThat(kept.get("expected").get("role").isNull()).isTrue();
        assertThat(kept.get("row")).isEqualTo(kept.get("expected"));
        // A deleted record's row that should be gone but is there again is marked.
        AppTables.execute(postgres, "INSERT INTO \"User\" (\"clerkId\", \"email\") VALUES ('user_adm_gone', 'back@example.com')");
        JsonNode back = entry(record("user_adm_gone").get("mapped"), "app-users", "postgres");
        assertThat(back.get("agree").asBoolean()).isFalse();
        assertThat(back.get("expected").isNull()).isTrue();
        assertThat(back.get("row").get("email").asText()).isEqualTo("back@example.com");
    }

    @Test
    void the_page_shows_the_mapped_rows_beside_the_projection_with_the_differing_column_marked() throws Exception {
        send(ClerkEvents.user("user.created", "user_adm_page", T0).firstName("Linus").json());
        AppTables.execute(postgres, "UPDATE \"User\" SET \"lastName\" = 'Edited' WHERE \"clerkId\" = 'user_adm_page'");

        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            chromium.sendHeader("Authorization", "Bearer " + TOKEN);
            WebDriver page = chromium.driver();
            page.get(service.managementUrl() + "/admin/#record/user_adm_page");

            await().atMost(Duration.ofSeconds(15))
                    .ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException || e instanceof NoSuchElementException)
                    .untilAsserted(() -> {
                        String table = "#record-mapped div[data-mapping='app-users'][data-store='postgres']";
                        assertThat(page.findElement(By.cssSelector(table + " p")).getText()).isEqualTo("Differs in: lastName");
                        assertThat(page.findElement(By.cssSelector(table + " tr[data-field='lastName']")).getAttribute("class"))
                                .isEqualTo("differs");
                        assertThat(page.findElement(By.cssSelector(table + " tr[data-field='lastName']")).getText())
                                .contains("Edited", "Skywalker");
                        assertThat(page.findElement(By.cssSelector(table + " tr[data-field='firstName']")).getAttribute("class"))
                                .isEmpty();
                        String documents = "#record-mapped div[data-mapping='app-users'][data-store='mongodb']";
                        assertThat(page.findElement(By.cssSelector(documents + " p")).getText()).isEqualTo("As projected.");
                    });
            ((JavascriptExecutor) page).executeScript("document.getElementById('record-mapped').scrollIntoView()");
            chromium.screenshot(SCREENSHOTS.resolve("admin-record-mapped.png"));
            assertThat(chromium.consoleErrors()).isEmpty();
        }
    }

    private static JsonNode record(String id) {
        WebhookClient.Response response = admin.get("/admin/api/records/" + id);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode entry(JsonNode mapped, String mapping, String store) {
        for (JsonNode entry : mapped) {
            if (entry.get("mapping").asText().equals(mapping) && entry.get("store").asText().equals(store)) {
                return entry;
            }
        }
        throw new AssertionError("no " + mapping + " " + store + " in " + mapped);
    }

    private static void send(String payload) {
        assertThat(service.client().send(WebhookClient.newMessageId(), payload).field("status")).isEqualTo("applied");
    }
}
