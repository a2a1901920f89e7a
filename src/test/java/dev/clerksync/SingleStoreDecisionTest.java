package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.Decisions;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With SYNC_STORES naming one store, that store decides alone and answers each svix-id once. */
class SingleStoreDecisionTest {

    static final long T1 = 1_730_000_000_000L;
    static final int COPIES = 8;

    @ParameterizedTest(name = "{0} only")
    @ValueSource(strings = {"postgres", "mongodb"})
    void the_only_store_decides_every_outcome_and_answers_it_once(String store) throws Exception {
        try (PostgresDatabase postgres = store.equals("postgres") ? PostgresDatabase.create() : null;
             MongoTestServer mongo = store.equals("mongodb") ? MongoTestServer.start() : null;
             RunningService service = RunningService.start(postgres, mongo, Map.of())) {
            WebhookClient client = service.client();
            Decisions decisions = new Decisions();
            String user = "user_single_" + store;

            assertThat(send(client, decisions, WebhookClient.newMessageId(),
                    ClerkEvents.user("user.created", user, T1).firstName("Ada").json())).isEqualTo("applied");
            String created = WebhookClient.newMessageId();
            String payload = ClerkEvents.user("user.updated", user, T1 + 1000).firstName("Augusta").json();
            assertThat(send(client, decisions, created, payload)).isEqualTo("applied");
            assertThat(send(client, decisions, created, payload)).isEqualTo("duplicate");
            assertThat(send(client, decisions, WebhookClient.newMessageId(),
                    ClerkEvents.user("user.updated", user, T1 + 500).firstName("Old").json())).isEqualTo("stale");
            assertThat(send(client, decisions, WebhookClient.newMessageId(),
                    ClerkEvents.fixture("session.created.json"))).isEqualTo("ignored");

            String burstId = WebhookClient.newMessageId();
            String burst = ClerkEvents.user("user.updated", user, T1 + 2000).firstName("Burst").json();
            List<Callable<String>> sends = new ArrayList<>();
            for (int i = 0; i < COPIES; i++) {
                sends.add(() -> send(client, decisions, burstId, burst));
            }
            assertThat(Concurrently.run(COPIES, sends)).containsOnlyOnce("applied").containsOnly("applied", "duplicate");

            assertThat(send(client, decisions, WebhookClient.newMessageId(),
                    ClerkEvents.deleted(user, T1 + 3000).json())).isEqualTo("applied");
            assertThat(send(client, decisions, WebhookClient.newMessageId(),
                    ClerkEvents.user("user.updated", user, T1 + 4000).firstName("Back").json())).isEqualTo("stale");

            decisions.assertAuditedAsAnswered(postgres, mongo);
            StoredUser stored = postgres != null ? StoredUser.inPostgres(postgres, user) : StoredUser.inMongo(mongo, user);
            assertThat(stored).isEqualTo(StoredUser.tombstone(user, T1 + 3000));
        }
    }

    private static String send(WebhookClient client, Decisions decisions, String svixId, String payload) {
        WebhookClient.Response response = client.send(svixId, payload);
        decisions.answered(svixId, response);
        return response.field("status");
    }
}
