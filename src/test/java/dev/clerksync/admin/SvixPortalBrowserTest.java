package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.FakeClerkApi.ErrorStatus;
import dev.clerksync.support.HeadlessChromium;
import dev.clerksync.support.SyncStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The admin page's Svix portal button in a real browser, with CLERK_SECRET_KEY set and the test's
 * stand-in for Clerk: a click opens the link Clerk gave in a new window; a key Clerk refuses leaves
 * no window and says why beside the button.
 */
class SvixPortalBrowserTest {

    static final String TOKEN = "portal-browser-token-8d2";
    static final Path SCREENSHOTS = Path.of("target", "admin-screenshots");
    static final FakeClerkApi clerk = FakeClerkApi.start();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.admin.token", TOKEN)
            .with("clerk.api.secret-key", FakeClerkApi.KEY)
            .with("clerk.api.url", clerk.baseUrl().toString());

    static HeadlessChromium chromium;
    static String adminWindow;

    @BeforeAll
    static void openThePage() throws Exception {
        chromium = HeadlessChromium.start();
        chromium.sendHeader("Authorization", "Bearer " + TOKEN);
        chromium.driver().get(stack.service().managementUrl() + "/admin/");
        adminWindow = chromium.driver().getWindowHandle();
    }

    @AfterEach
    void backToTheAdminPage() {
        WebDriver page = chromium.driver();
        for (String window : page.getWindowHandles()) {
            if (!window.equals(adminWindow)) {
                page.switchTo().window(window).close();
            }
        }
        page.switchTo().window(adminWindow);
    }

    @AfterAll
    static void close() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        clerk.close();
    }

    @Test
    void the_button_opens_the_portal_link_clerk_gave_in_a_new_window() throws Exception {
        WebDriver page = chromium.driver();
        page().untilAsserted(() -> assertThat(page.findElement(By.id("svix-portal-open")).isEnabled()).isTrue());
        ((JavascriptExecutor) page).executeScript("document.getElementById('svix-portal-panel').scrollIntoView()");
        chromium.screenshot(SCREENSHOTS.resolve("admin-svix-portal.png"));

        page.findElement(By.id("svix-portal-open")).click();

        page().untilAsserted(() -> assertThat(page.getWindowHandles()).hasSize(2));
        String portal = otherWindow(page.getWindowHandles());
        page.switchTo().window(portal);
        page().untilAsserted(() -> {
            assertThat(page.getCurrentUrl()).isEqualTo(clerk.svixPortalUrl().toString());
            assertThat(page.getTitle()).isEqualTo(FakeClerkApi.SVIX_PORTAL_TITLE);
        });
        page.switchTo().window(adminWindow);
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void a_key_clerk_refuses_opens_nothing_and_the_page_says_why() {
        WebDriver page = chromium.driver();
        page().untilAsserted(() -> assertThat(page.findElement(By.id("svix-portal-open")).isEnabled()).isTrue());
        clerk.fault("/v1/webhooks/svix_url", 1, new ErrorStatus(401));

        page.findElement(By.id("svix-portal-open")).click();

        page().untilAsserted(() -> assertThat(page.findElement(By.id("svix-portal-note")).getText())
                .startsWith("CLERK_SECRET_KEY was rejected (Clerk answered 401)"));
        page().untilAsserted(() -> assertThat(page.getWindowHandles()).containsExactly(adminWindow));
        assertThat(page.findElement(By.id("svix-portal-open")).isEnabled()).as("ready for another try").isTrue();
    }

    private static String otherWindow(Set<String> windows) {
        return windows.stream().filter(window -> !window.equals(adminWindow)).findFirst().orElseThrow();
    }

    private static org.awaitility.core.ConditionFactory page() {
        return await().atMost(Duration.ofSeconds(15));
    }
}
