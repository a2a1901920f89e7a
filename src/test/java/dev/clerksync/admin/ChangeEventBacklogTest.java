package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook a change-event outbox uses to show its backlog in the status panel. */
class ChangeEventBacklogTest {

    @TempDir
    Path dataDir;

    @Test
    void a_backlog_bound_as_change_event_backlog_appears_in_the_status_answer() {
        Map<String, String> settings = Map.of("clerk.webhook.secret", RunningService.SECRET, "clerk.sync.stores", "mongodb",
                "clerk.mongodb.uri", "", "clerk.data.dir", dataDir.toString(), "clerk.admin.token", "backlog-token");
        try (RunningService service = RunningService.start(settings)) {
            AdminClient admin = new AdminClient(service.managementUrl(), "backlog-token");
            assertThat(admin.get("/admin/api/status").json().get("change_events").isNull()).isTrue();

            service.context().getRegistry().bind(AdminView.BACKLOG_BEAN, ChangeEventBacklog.class,
                    (ChangeEventBacklog) () -> JsonNodeFactory.instance.objectNode().put("pending", 7));

            assertThat(admin.get("/admin/api/status").json().get("change_events").get("pending").asInt()).isEqualTo(7);
        }
    }
}
