package dev.clerksync.store.relational;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.relational.RelationalDecider.Decision;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page of many deliveries goes to PostgreSQL by COPY (a backfill's page), a round of few as
 * arrays (the webhook's): the same statement file either way, and the same effect, value for value.
 */
class PageCopyTest {

    private static final long T1 = 1_790_000_000_000L;
    /** Every character COPY's text format escapes, and JSON's, in a stored value. */
    private static final String AWKWARD = "tab\there, line\nbreak, return\r, back\\slash, \"quoted\", \\N, é€😀";

    private final List<PostgresDatabase> databases = new ArrayList<>();
    private final List<HikariDataSource> dataSources = new ArrayList<>();

    @AfterEach
    void close() {
        dataSources.forEach(HikariDataSource::close);
        databases.forEach(PostgresDatabase::close);
    }

    @ParameterizedTest
    @EnumSource(SyncAction.class)
    void every_postgresql_action_statement_can_take_a_page_by_copy(SyncAction action) {
        SqlFile statement = SqlFile.load("sql/postgresql/" + action.fileName() + ".sql");
        assertThat(statement.takesPagesByCopy()).as(action.fileName()).isTrue();
    }

    @Test
    void a_page_by_copy_has_the_effect_of_the_same_deliveries_in_rounds_of_arrays() throws Exception {
        List<Map<String, Object>> page = new ArrayList<>();
        List<Map<String, Object>> before = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String userId = "user_page" + i;
            // A third are stored newer already (stale), a third deleted (stale, recorded erased), a third new.
            if (i % 3 == 0) {
                before.add(parameters("msg_newer" + i, ClerkEvents.user("user.updated", userId, T1 + 5000), SyncAction.UPSERT_USER));
            } else if (i % 3 == 1) {
                before.add(parameters("msg_deleted" + i, ClerkEvents.deleted(userId, T1 + 5000), SyncAction.DELETE_USER));
            }
            page.add(parameters("msg_page" + i, ClerkEvents.user("user.updated", userId, T1 + 1000 + i)
                    .firstName(i % 2 == 0 ? AWKWARD : null), SyncAction.UPSERT_USER));
        }
        assertThat(page).hasSizeGreaterThanOrEqualTo(SqlFile.COPY_FROM);

        PostgresDatabase byCopy = decide(before, List.of(page));
        PostgresDatabase byArrays = decide(before, chunks(page, SqlFile.COPY_FROM - 1));

        String users = "SELECT id, email, first_name, last_name, image_url, created_at, updated_at, deleted_at, "
                + "last_event_at, last_event_id, data::text FROM users ORDER BY id";
        String audit = "SELECT event_id, event_type, subject_id, user_id, event_at, outcome, payload::text "
                + "FROM audit_log ORDER BY event_id";
        assertThat(byCopy.query(users)).isEqualTo(byArrays.query(users)).hasSize(150);
        assertThat(byCopy.query(audit)).isEqualTo(byArrays.query(audit)).hasSize(250);
        assertThat(byCopy.query("SELECT first_name FROM users WHERE id = 'user_page2'"))
                .containsExactly(Map.of("first_name", AWKWARD));
        assertThat(byCopy.count("SELECT count(*) FROM audit_log WHERE event_id LIKE 'msg_page%' AND outcome = 'applied'"))
                .isEqualTo(50);
    }

    /** A fresh database with the deliveries of {@code before} decided, then {@code pages}, each in one transaction. */
    private PostgresDatabase decide(List<Map<String, Object>> before, List<List<Map<String, Object>>> pages) throws Exception {
        PostgresDatabase database = PostgresDatabase.create();
        databases.add(database);
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(database.url());
        dataSource.setUsername(PostgresDatabase.user());
        dataSource.setPassword(PostgresDatabase.password());
        dataSources.add(dataSource);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/postgresql")
                .table("clerk_sync_schema_history").load().migrate();
        RelationalDecider decider = new RelationalDecider(dataSource, "postgresql", false, 1000, 1, 64, size -> { });
        for (Map<String, Object> delivery : before) {
            SyncAction action = SyncAction.named((String) delivery.get("action"));
            decider.decideTogether(action, List.of(delivery), (connection, decided) -> { });
        }
        for (List<Map<String, Object>> page : pages) {
            List<Decision> decided = decider.decideTogether(SyncAction.UPSERT_USER, page, (connection, decisions) -> { });
            assertThat(decided).allSatisfy(decision -> assertThat(decision.completed()).isTrue());
        }
        return database;
    }

    private static Map<String, Object> parameters(String svixId, ClerkEvents event, SyncAction action) throws Exception {
        ClerkEvent parsed = ClerkEventParser.parse(svixId, event.json(), Instant.now());
        Map<String, Object> parameters = new HashMap<>(SqlParameters.of(parsed, action));
        parameters.put("action", action.fileName());
        // The same received time on both sides: the two databases are compared value for value.
        parameters.put("receivedAt", parameters.get("eventAt"));
        return parameters;
    }

    private static List<List<Map<String, Object>>> chunks(List<Map<String, Object>> page, int size) {
        List<List<Map<String, Object>>> chunks = new ArrayList<>();
        for (int from = 0; from < page.size(); from += size) {
            chunks.add(page.subList(from, Math.min(page.size(), from + size)));
        }
        return chunks;
    }
}
