package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One answer per delivery, one decision per delivery: PostgreSQL decides, MongoDB follows with the
 * decided outcome, and whatever the races (the same delivery at two instances, two updates of one
 * user at once) each svix-id is answered with its outcome exactly once, and both audit logs agree.
 */
class OneDecisionTest {

    static final int COPIES = 16;
    static final int RACES = 40;
    static final long T1 = 1_730_000_000_000L;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().instances(2);

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final RunningService first = stack.service(0);
    final RunningService second = stack.service(1);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"applied", "stale", "ignored"})
    void the_same_delivery_at_two_instances_at_once_is_answered_with_its_outcome_once(String outcome) throws Exception {
        String user = "user_burst_" + outcome;
        first.client().send(ClerkEvents.user("user.created", user, T1 + 1000).json());
        String payload = switch (outcome) {
            case "applied" -> ClerkEvents.user("user.updated", user, T1 + 2000).json();
            case "stale" -> ClerkEvents.user("user.updated", user, T1).json();
            default -> ClerkEvents.fixture("session.created.json");
        };
        String svixId = WebhookClient.newMessageId();

        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        for (int i = 0; i < COPIES; i++) {
            WebhookClient client = (i % 2 == 0 ? first : second).client();
            sends.add(() -> {
                decisions.answered(svixId, client.send(svixId, payload));
                return null;
            });
        }
        Concurrently.run(COPIES, sends);

        assertThat(decisions.assertAuditedAsAnswered(postgres, mongo)).containsEntry(svixId, outcome);
    }

    @Test
    void two_updates_of_one_user_racing_are_decided_once_and_audited_alike_in_both_stores() throws Exception {
        Decisions decisions = new Decisions();
        List<Callable<Void>> sends = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int race = 0; race < RACES; race++) {
            String user = "user_race_" + race;
            users.add(user);
            first.client().send(ClerkEvents.user("user.created", user, T1).firstName("created").json());
            String older = ClerkEvents.user("user.updated", user, T1 + 1000).firstName("older").json();
            String newer = ClerkEvents.user("user.updated", user, T1 + 2000).firstName("newer").json();
            String olderId = WebhookClient.newMessageId();
            String newerId = WebhookClient.newMessageId();
            // Both orders of submission, each update also redelivered, spread over both instances.
            List<Map.Entry<String, String>> updates = race % 2 == 0
                    ? List.of(Map.entry(olderId, older), Map.entry(newerId, newer))
                    : List.of(Map.entry(newerId, newer), Map.entry(olderId, older));
            for (int copy = 0; copy < 2; copy++) {
                for (Map.Entry<String, String> update : updates) {
                    WebhookClient client = ((race + copy) % 2 == 0 ? first : second).client();
                    sends.add(() -> {
                        decisions.answered(update.getKey(), client.send(update.getKey(), update.getValue()));
                        return null;
                    });
                }
            }
        }
        Concurrently.run(COPIES, sends);

        Map<String, String> outcomes = decisions.assertAuditedAsAnswered(postgres, mongo);
        assertThat(outcomes).hasSize(2 * RACES);
        System.out.printf("racing updates: %d users, outcomes %s%n", RACES,
                outcomes.values().stream().collect(Collectors.groupingBy(o -> o, Collectors.counting())));
        for (String user : users) {
            assertThat(StoredUser.inPostgres(postgres, user).firstName()).as(user).isEqualTo("newer");
            assertThat(StoredUser.inMongo(mongo, user).firstName()).as(user).isEqualTo("newer");
        }
    }
}
