package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredAudit;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The organization rules hold whichever store decides: PostgreSQL alone, MongoDB alone, and the
 * embedded H2 database (whose SQL is its own). One walk through the rules, the same answers from
 * each, and the state it leaves.
 */
class OrganizationsPerStoreTest {

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;
    static final long T3 = T2 + 60_000;
    static final int RACING_USERS = 400;

    /** The walk: each delivery and the answer every deciding store must give it. */
    static Map<String, String> walk(WebhookClient client, Map<String, String> svixIds) {
        Map<String, String> steps = new LinkedHashMap<>();
        steps.put("org created", OrganizationEvents.organization("organization.created", "org_walk", T1).json());
        steps.put("member added", OrganizationEvents.membership("organizationMembership.created", "orgmem_walk",
                "org_walk", "user_walk", T1).json());
        steps.put("other member added", OrganizationEvents.membership("organizationMembership.created",
                "orgmem_walk2", "org_walk", "user_walk2", T1).json());
        steps.put("member of another org", OrganizationEvents.membership("organizationMembership.created",
                "orgmem_walk3", "org_walk_other", "user_walk2", T1).json());
        steps.put("session", OrganizationEvents.session("sess_walk", "user_walk", T1).json());
        steps.put("user deleted", ClerkEvents.deleted("user_walk", T2).json());
        steps.put("late session", OrganizationEvents.session("sess_walk_late", "user_walk", T3).json());
        steps.put("late member update", OrganizationEvents.membership("organizationMembership.updated",
                "orgmem_walk", "org_walk", "user_walk", T3).json());
        steps.put("org deleted", OrganizationEvents.organizationDeleted("org_walk", T3).json());
        steps.put("new member of deleted org", OrganizationEvents.membership("organizationMembership.created",
                "orgmem_walk4", "org_walk", "user_walk3", T3).json());
        steps.put("event about no user", "{\"type\":\"permission.created\",\"object\":\"event\",\"timestamp\":" + T3
                + ",\"data\":{\"object\":\"permission\",\"id\":\"perm_walk\",\"key\":\"org:walk:read\"}}");
        Map<String, String> answers = new LinkedHashMap<>();
        steps.forEach((step, payload) -> {
            String svixId = WebhookClient.newMessageId();
            svixIds.put(step, svixId);
            answers.put(step, client.send(svixId, payload).field("status"));
        });
        return answers;
    }

    static final List<String> ANSWERS = List.of("applied", "applied", "applied", "applied", "ignored", "applied",
            "ignored", "stale", "applied", "stale", "ignored");

    @ParameterizedTest(name = "{0} only")
    @ValueSource(strings = {"postgres", "mongodb"})
    void the_only_store_decides_organizations_cascades_and_erasure(String store) {
        try (PostgresDatabase postgres = store.equals("postgres") ? PostgresDatabase.create() : null;
             MongoTestServer mongo = store.equals("mongodb") ? MongoTestServer.start() : null;
             RunningService service = RunningService.start(postgres, mongo, Map.of())) {
            Map<String, String> svixIds = new LinkedHashMap<>();

            assertThat(new ArrayList<>(walk(service.client(), svixIds).values())).isEqualTo(ANSWERS);

            List<StoredMembership> memberships = new ArrayList<>();
            for (String id : List.of("orgmem_walk", "orgmem_walk2", "orgmem_walk3", "orgmem_walk4")) {
                memberships.add(postgres != null ? StoredMembership.inPostgres(postgres, id) : StoredMembership.inMongo(mongo, id));
            }
            assertThat(memberships.get(0)).isEqualTo(StoredMembership.tombstone("orgmem_walk", "org_walk", "user_walk",
                    T2, svixIds.get("user deleted")));
            assertThat(memberships.get(1)).isEqualTo(StoredMembership.tombstone("orgmem_walk2", "org_walk", "user_walk2",
                    T3, svixIds.get("org deleted")));
            assertThat(memberships.get(2).live()).isTrue();
            assertThat(memberships.get(3)).isNull();
            for (String step : List.of("member added", "session", "late session", "late member update")) {
                String svixId = svixIds.get(step);
                StoredAudit entry = postgres != null ? StoredAudit.inPostgres(postgres, svixId) : StoredAudit.inMongo(mongo, svixId);
                assertThat(entry.erased()).as(step).isTrue();
            }
            String deletion = svixIds.get("user deleted");
            assertThat((postgres != null ? StoredAudit.inPostgres(postgres, deletion) : StoredAudit.inMongo(mongo, deletion))
                    .erased()).isFalse();
        }
    }

    @Test
    void the_embedded_database_decides_organizations_cascades_and_erasure(@TempDir Path dataDir) throws Exception {
        Map<String, String> settings = embedded(dataDir);
        Map<String, String> svixIds = new LinkedHashMap<>();
        try (RunningService service = RunningService.start(settings)) {
            assertThat(new ArrayList<>(walk(service.client(), svixIds).values())).isEqualTo(ANSWERS);
        }

        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("clerk-sync"))) {
            assertThat(rows(h2, "SELECT id, deleted_at IS NULL, last_event_id FROM organization_memberships ORDER BY id"))
                    .containsExactly(
                            List.of("orgmem_walk", "FALSE", svixIds.get("user deleted")),
                            List.of("orgmem_walk2", "FALSE", svixIds.get("org deleted")),
                            List.of("orgmem_walk3", "TRUE", svixIds.get("member of another org")));
            assertThat(rows(h2, "SELECT event_id FROM audit_log WHERE CAST(payload AS VARCHAR) = '{\"erased\":true}' "
                    + "ORDER BY event_id")).containsExactlyInAnyOrderElementsOf(List.of(
                            List.of(svixIds.get("member added")), List.of(svixIds.get("session")),
                            List.of(svixIds.get("late session")), List.of(svixIds.get("late member update"))));
        }
    }

    @Test
    void the_embedded_database_erases_sessions_racing_their_users_deletes(@TempDir Path dataDir) throws Exception {
        List<String> sessions = new ArrayList<>();
        List<java.util.concurrent.Callable<Void>> sends = new ArrayList<>();
        try (RunningService service = RunningService.start(embedded(dataDir))) {
            WebhookClient client = service.client();
            for (int i = 0; i < RACING_USERS; i++) {
                String session = WebhookClient.newMessageId();
                sessions.add(session);
                String sessionPayload = OrganizationEvents.session("sess_race_" + i, "user_race_" + i, T2).json();
                String deletePayload = ClerkEvents.deleted("user_race_" + i, T2).json();
                sends.add(() -> {
                    assertThat(client.send(session, sessionPayload).status()).isEqualTo(200);
                    return null;
                });
                sends.add(() -> {
                    assertThat(client.send(deletePayload).status()).isEqualTo(200);
                    return null;
                });
            }
            dev.clerksync.support.Concurrently.run(16, sends);
        }

        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("clerk-sync"))) {
            assertThat(rows(h2, "SELECT event_id FROM audit_log WHERE event_type = 'session.created' "
                    + "AND CAST(payload AS VARCHAR) <> '{\"erased\":true}'")).isEmpty();
        }
    }

    private static Map<String, String> embedded(Path dataDir) {
        return Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.mongodb.uri", "",
                "clerk.sync.stores", "postgres,mongodb");
    }

    private static List<List<String>> rows(Connection connection, String sql) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = connection.createStatement().executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(result.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
