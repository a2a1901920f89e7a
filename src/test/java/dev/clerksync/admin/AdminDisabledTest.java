package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import dev.clerksync.support.AdminClient;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without ADMIN_TOKEN there is no admin view at all, whatever credential a request brings. */
class AdminDisabledTest {

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly();

    final AdminClient management = new AdminClient(stack.service().managementUrl(), "any-token");

    @Test
    void every_admin_path_answers_404_and_forbids_caching() {
        for (String path : List.of("/admin", "/admin/", "/admin/api/status", "/admin/api/deliveries")) {
            for (Response response : List.of(management.get(path), management.getWith(path, Map.of()),
                    management.getBasic(path, "admin", ""))) {
                assertThat(response.status()).as(path).isEqualTo(404);
                assertThat(response.header("Cache-Control")).as(path).isEqualTo("no-store");
                assertThat(response.header("WWW-Authenticate")).as(path).isNull();
            }
        }
    }
}
