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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The admin page in a real browser (Debian's chromium): on empty stores it says what to do first;
 * it lists the newest delivery, the users and organizations, finds a user by id or email and shows
 * both stores' values, keeps ids and times on one line, works when opened with the credentials in
 * the URL, and logs no console error. The screenshots it saves under target/admin-screenshots are
 * the docs' (docs/images).
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

    /** The page, opened on stores that hold nothing yet. */
    @BeforeAll
    static void aBrowserOnEmptyStores() throws Exception {
        chromium = HeadlessChromium.start();
        chromium.sendHeader("Authorization", "Bearer " + TOKEN);
        chromium.driver().get(stack.service().managementUrl() + "/admin/");
    }

    @Test
    @Order(0)
    void on_empty_stores_the_first_screen_says_how_to_send_a_test_event_and_run_a_backfill_until_one_arrives()
            throws Exception {
        WebDriver page = chromium.driver();

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("first-screen")).isDisplayed()).isTrue();
            assertThat(page.findElement(By.id("first-screen")).getText())
                    .contains("java -jar target/clerk-sync.jar send-test user.created", "java -jar target/clerk-sync.jar backfill");
        });
        chromium.screenshot(SCREENSHOTS.resolve("admin-first-screen.png"));

        send(ClerkEvents.user("user.created", "user_browser", T0).firstName(HOSTILE_NAME).json());
        send(ClerkEvents.user("user.created", "user_bystander", T0).json());
        newest = send(ClerkEvents.user("user.updated", "user_bystander", T0 + 1000).json());

        page().untilAsserted(() -> assertThat(page.findElement(By.id("first-screen")).isDisplayed()).isFalse());
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
        // Each store by what it is; the test's stores are a PostgreSQL server and a MongoDB URI.
        page().untilAsserted(() -> assertThat(page.findElement(By.id("status")).getText())
                .contains("PostgreSQL: healthy", "MongoDB: healthy"));
        page().untilAsserted(() -> assertThat(page.findElement(By.cssSelector("#recent tr")).getText())
                .contains("PostgreSQL", "MongoDB"));
        // the status counted the first deliveries as soon as they replaced the first screen
        page().untilAsserted(() -> assertThat(page.findElement(By.id("status")).getText()).doesNotContain("applied: 0"));
        ((JavascriptExecutor) page).executeScript("document.getElementById('users-view').scrollIntoView()");
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
            assertThat(page.findElement(By.id("delivery-stores")).getText()).contains("PostgreSQL", "MongoDB", "user.updated");
        });
    }

    @Test
    @Order(5)
    void the_users_list_shows_every_user_and_the_search_finds_one_by_email() throws Exception {
        WebDriver page = chromium.driver();
        page.get(stack.service().managementUrl() + "/admin/");
        page().untilAsserted(() -> assertThat(page.findElements(By.cssSelector("#users tr[data-id]")))
                .extracting(row -> row.getAttribute("data-id")).containsExactly("user_bystander", "user_browser"));

        WebElement search = page.findElement(By.id("search-input"));
        search.clear();
        search.sendKeys("USER_BYSTANDER@example.com");
        page.findElement(By.cssSelector("#search button")).click();

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("users-title")).getText()).isEqualTo("Users matching “USER_BYSTANDER@example.com”");
            assertThat(page.findElements(By.cssSelector("#users tr[data-id]")))
                    .extracting(row -> row.getAttribute("data-id")).containsExactly("user_bystander");
            assertThat(page.findElement(By.id("message")).isDisplayed()).isFalse();
        });
        chromium.screenshot(SCREENSHOTS.resolve("admin-search-email.png"));
        page.findElement(By.cssSelector("#users tr[data-id] a")).click();
        page().untilAsserted(() -> assertThat(page.findElement(By.id("record-title")).getText()).isEqualTo("user user_bystander"));
    }

    @Test
    @Order(6)
    void ids_and_times_stay_on_one_line_in_a_narrow_window() {
        WebDriver page = chromium.driver();
        page.get(stack.service().managementUrl() + "/admin/");
        page().untilAsserted(() -> assertThat(page.findElements(By.cssSelector("#recent tr[data-event-id]"))).isNotEmpty());
        Dimension wide = page.manage().window().getSize();
        try {
            page.manage().window().setSize(new Dimension(480, wide.getHeight()));
            page().untilAsserted(() -> {
                // a cell's text on one line: every box of it starts at the same height
                Long wrapped = (Long) ((JavascriptExecutor) page).executeScript("""
                        var wrapped = 0;
                        document.querySelectorAll('#recent td.mono, #users td.mono').forEach(function (cell) {
                          if (!cell.textContent) { return; }
                          var range = document.createRange();
                          range.selectNodeContents(cell);
                          var tops = {};
                          Array.prototype.forEach.call(range.getClientRects(), function (r) { tops[Math.round(r.top)] = true; });
                          if (Object.keys(tops).length > 1) { wrapped += 1; }
                        });
                        return wrapped;""");
                assertThat(wrapped).isZero();
                assertThat(page.findElements(By.cssSelector("#recent td.mono"))).isNotEmpty();
            });
        } finally {
            page.manage().window().setSize(wide);
        }
    }

    @Test
    @Order(7)
    void the_page_opened_with_the_token_in_the_url_fills_its_panels() throws Exception {
        // No header this time: the browser answers the page's Basic challenge with the URL's credentials,
        // and the page's own requests must not carry them in their URLs (fetch() refuses those).
        try (HeadlessChromium plain = HeadlessChromium.start()) {
            WebDriver page = plain.driver();
            page.get(stack.service().managementUrl().replace("http://", "http://admin:" + TOKEN + "@") + "/admin/");

            page().untilAsserted(() -> {
                assertThat(page.findElements(By.cssSelector("#recent tr[data-event-id]"))).isNotEmpty();
                assertThat(page.findElements(By.cssSelector("#users tr[data-id]"))).isNotEmpty();
                assertThat(page.findElement(By.id("status")).getText()).contains("PostgreSQL: healthy");
                assertThat(page.findElement(By.id("message")).isDisplayed()).isFalse();
            });
            assertThat(plain.consoleErrors()).isEmpty();
        }
    }

    @Test
    @Order(7)
    void without_clerk_secret_key_the_svix_portal_button_is_disabled_and_says_why() {
        WebDriver page = chromium.driver();

        page().untilAsserted(() -> {
            assertThat(page.findElement(By.id("svix-portal-open")).isEnabled()).isFalse();
            assertThat(page.findElement(By.id("svix-portal-note")).getText()).contains("without CLERK_SECRET_KEY");
        });
    }

    @Test
    @Order(8)
    void the_console_shows_no_error() {
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /**
     * Waits for the page: the list is rebuilt every few seconds, so an element found a moment ago
     * can be gone (stale) when it is read, and one the page has not drawn yet is not there; either
     * is a reason to look again, not a failure.
     */
    private static ConditionFactory page() {
        return await().atMost(Duration.ofSeconds(15)).ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException || e instanceof NoSuchElementException);
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
