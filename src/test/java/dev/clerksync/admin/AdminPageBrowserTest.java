package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.HeadlessChromium;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page in a real browser (Debian's chromium): it lists the newest delivery, finds a user
 * and shows both stores' values, and logs no console error. The screenshots it saves under
 * target/admin-screenshots are the README's (docs/images).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageBrowserTest {

    static final String TOKEN = "browser-token-0c94e1";
    static final long T0 = 1_730_000_000_000L;
    static final Path SCREENSHOTS = Path.of("target", "admin-screenshots");
    // A stored string that would run if the page ever rendered stored strings as HTML.
    static final String HOSTILE_NAME = "Ada<img src=x onerror=\"document.title='pwned'\">";

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().with("clerk.admin.token", TOKEN);

    static HeadlessChromium chromium;
    static String newest;

    @BeforeAll
    static void deliveriesAndABrowser() throws Exception {
        send(ClerkEvents.user("user.created", "user_browser", T0).firstName(HOSTILE_NAME).json());
        send(ClerkEvents.user("user.created", "user_bystander", T0).json());
        newest = send(ClerkEvents.user("user.updated", "user_bystander", T0 + 1000).json());
        chromium = HeadlessChromium.start();
        chromium.sendHeader("Authorization", "Bearer " + TOKEN);
        chromium.driver().get(stack.service().managementUrl() + "/admin/");
    }

    @AfterAll
    static void closeBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void the_page_lists_the_newest_delivery_first_with_each_stores_outcome() throws Exception {
        WebDriver page = chromium.driver();

        page().untilAsserted(() -> {
            WebElement first = page.findElement(By.cssSelector("#recent tr[data-event-id]"));
            assertThat(first.getAttribute("data-event-id")).isEqualTo(newest);
            assertThat(first.getText()).contains("user.updated", "user_bystander", "applied");
        });
        String later = send(ClerkEvents.user("user.updated", "user_bystander", T0 + 2000).json());
        // The list refreshes by itself every few seconds.
        page().untilAsserted(() -> assertThat(
                page.findElement(By.cssSelector("#recent tr[data-event-id]")).getAttribute("data-event-id")).isEqualTo(later));
        page().untilAsserted(() -> assertThat(page.findElement(By.id("status")).getText()).contains("postgres: healthy"));
        chromium.screenshot(SCREENSHOTS.resolve("admin-deliveries.png"));
    }

    @Test
    @Order(2)
    void the_search_finds_a_user_and_shows_both_stores_values_as_text() throws Exception {
        WebDriver page = chromium.driver();

        WebElement search = page.findElement(By.id("search-input"));
        search.clear();
        search.sendKeys("user_browser");
        page.findElement(By.cssSelector("#search button")).click();

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("record-view")).isDisplayed()).isTrue();
            assertThat(cell(page, "first_name", "postgres")).isEqualTo(HOSTILE_NAME);
            assertThat(cell(page, "first_name", "mongodb")).isEqualTo(HOSTILE_NAME);
            assertThat(page.findElement(By.id("record-agree")).getText()).isEqualTo("The stores agree.");
        });
        assertThat(page.findElements(By.cssSelector("#record-table img"))).isEmpty();
        assertThat(page.getTitle()).isEqualTo("clerk-sync admin");
        assertThat(page.findElement(By.id("record-deliveries")).getText()).contains("user.created");
        chromium.screenshot(SCREENSHOTS.resolve("admin-record.png"));
    }

    @Test
    @Order(3)
    void a_record_the_stores_disagree_on_has_its_differing_field_marked() throws Exception {
        stack.mongo().database().getCollection("users")
                .updateOne(Filters.eq("_id", "user_bystander"), Updates.set("firstName", "Changed in MongoDB"));
        WebDriver page = chromium.driver();

        page.get(stack.service().managementUrl() + "/admin/#record/user_bystander");

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("record-agree")).getText()).isEqualTo("The stores differ in: first_name");
            assertThat(page.findElement(By.cssSelector("#record-table tr[data-field='first_name']")).getAttribute("class"))
                    .isEqualTo("differs");
            assertThat(cell(page, "first_name", "mongodb")).isEqualTo("Changed in MongoDB");
        });
        chromium.screenshot(SCREENSHOTS.resolve("admin-record-differs.png"));
    }

    @Test
    @Order(4)
    void the_search_finds_a_delivery_by_its_svix_id_and_shows_each_stores_entry() {
        WebDriver page = chromium.driver();

        WebElement search = page.findElement(By.id("search-input"));
        search.clear();
        search.sendKeys(newest);
        page.findElement(By.cssSelector("#search button")).click();

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("delivery-view")).isDisplayed()).isTrue();
            assertThat(page.findElement(By.id("delivery-title")).getText()).isEqualTo("Delivery " + newest);
            assertThat(page.findElement(By.id("delivery-stores")).getText()).contains("postgres", "mongodb", "user.updated");
        });
    }

    @Test
    @Order(5)
    void the_console_shows_no_error() {
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /**
     * Waits for the page: the list is rebuilt every few seconds, so an element found a moment ago
     * can be gone (stale) when it is read; that is a reason to look again, not a failure.
     */
    private static ConditionFactory page() {
        return await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
    }

    private static String cell(WebDriver page, String field, String store) {
        return page.findElement(By.cssSelector("#record-table tr[data-field='" + field + "'] td[data-store='" + store + "']"))
                .getText();
    }

    private static String send(String payload) {
        String id = WebhookClient.newMessageId();
        assertThat(stack.client().send(id, payload).status()).isEqualTo(200);
        return id;
    }
}
