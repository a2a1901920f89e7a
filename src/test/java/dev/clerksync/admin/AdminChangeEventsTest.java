package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.SyncStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With a broker set, the status panel shows the outbox's backlog as the metrics do. */
class AdminChangeEventsTest {

    static final String TOKEN = "change-events-admin-token";

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", RabbitChangeEventsQueue.newExchangeName())
            .with("clerk.admin.token", TOKEN);

    @Test
    void status_shows_pending_oldest_age_and_parked_change_events_and_the_backlog_drains() {
        AdminClient admin = new AdminClient(stack.service().managementUrl(), TOKEN);
        stack.client().send(ClerkEvents.user("user.created", "user_backlog", 1_730_000_000_000L).json());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode events = admin.get("/admin/api/status").json().get("change_events");
            assertThat(events.get("pending").asDouble()).isZero();
            assertThat(events.get("oldest_pending_age_seconds").asDouble()).isZero();
            assertThat(events.get("parked").asDouble()).isZero();
        });
        assertThat(stack.postgres().count("SELECT COUNT(*) FROM change_events WHERE published_at IS NOT NULL"))
                .isPositive();
    }
}
