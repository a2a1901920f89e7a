package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may see the admin view, where, and what it never shows; the token comes from ADMIN_TOKEN_FILE here. */
class AdminProtectionTest {

    static final String TOKEN = "file-token-5b1e0d2a9c";
    static final Path TOKEN_FILE = tokenFile();
    static final List<String> PATHS = List.of("/admin", "/admin/", "/admin/admin.js", "/admin/admin.css",
            "/admin/api/deliveries", "/admin/api/status", "/admin/api/records/user_protected",
            "/admin/api/deliveries/msg_unknown");

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().with("clerk.admin.token-file", TOKEN_FILE.toString());

    final AdminClient management = new AdminClient(stack.service().managementUrl(), TOKEN);
    final AdminClient webhookPort = new AdminClient(stack.service().baseUrl(), TOKEN);

    @BeforeAll
    static void oneUserWithADelivery() {
        stack.client().send(ClerkEvents.user("user.created", "user_protected", 1_730_000_000_000L).json());
    }

    @Test
    void every_admin_path_wants_the_token_and_says_how_to_give_it() {
        for (String path : PATHS) {
            assertUnauthorized(management.getWith(path, Map.of()), path);
            assertUnauthorized(management.getWith(path, Map.of("Authorization", "Bearer not-the-token")), path);
            assertUnauthorized(management.getBasic(path, "admin", "not-the-token"), path);
            assertUnauthorized(management.getBasic(path, TOKEN, ""), path);
        }
    }

    @Test
    void the_token_opens_the_view_as_bearer_and_as_the_basic_password_of_any_user() {
        assertThat(management.get("/admin/api/status").status()).isEqualTo(200);
        assertThat(management.getBasic("/admin/api/status", "anyone", TOKEN).status()).isEqualTo(200);
        Response page = management.getBasic("/admin/", "", TOKEN);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(management.get("/admin").status()).isEqualTo(302);
    }

    @Test
    void every_answer_under_admin_forbids_caching() {
        for (String path : PATHS) {
            assertThat(management.get(path).header("Cache-Control")).as(path).isEqualTo("no-store");
            assertThat(management.getWith(path, Map.of()).header("Cache-Control")).as(path).isEqualTo("no-store");
        }
    }

    @Test
    void the_view_is_read_only() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertThat(management.request(method, "/admin/api/records/user_protected").status()).as(method).isEqualTo(405);
        }
    }

    @Test
    void the_webhook_port_serves_nothing_under_admin_even_with_the_token() {
        for (String path : PATHS) {
            assertThat(webhookPort.get(path).status()).as(path).isEqualTo(404);
            assertThat(webhookPort.get(path).body()).as(path).doesNotContain("user_protected");
        }
    }

    @Test
    void no_answer_carries_a_secret() {
        List<String> secrets = List.of(TOKEN, RunningService.SECRET, RunningService.SECRET.substring("whsec_".length()),
                PostgresDatabase.password());
        for (String path : PATHS) {
            for (Response response : List.of(management.get(path), management.getWith(path, Map.of()))) {
                String everything = response.body() + response.headers();
                secrets.stream().filter(secret -> !secret.isEmpty())
                        .forEach(secret -> assertThat(everything).as(path).doesNotContain(secret));
            }
        }
    }

    @Test
    void health_and_metrics_stay_open_and_the_developer_console_stays_off() {
        WebhookClient open = new WebhookClient(stack.service().managementUrl(), RunningService.SECRET);
        assertThat(open.request("GET", "/observe/health", Map.of(), new byte[0]).status()).isEqualTo(200);
        assertThat(open.request("GET", "/observe/metrics", Map.of(), new byte[0]).status()).isEqualTo(200);
        assertThat(open.request("GET", "/q/dev", Map.of(), new byte[0]).status()).isEqualTo(404);
        assertThat(open.request("GET", "/observe/dev", Map.of(), new byte[0]).status()).isEqualTo(404);
    }

    private static void assertUnauthorized(Response response, String path) {
        assertThat(response.status()).as(path).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).as(path).isEqualTo("Basic realm=\"clerk-sync\"");
        assertThat(response.body()).as(path).doesNotContain("user_protected");
    }

    private static Path tokenFile() {
        try {
            Path file = Files.createTempFile("admin-token", ".txt");
            file.toFile().deleteOnExit();
            // A trailing newline, as `echo token > file` and Kubernetes secrets leave it, is not part of the token.
            Files.writeString(file, TOKEN + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
