package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.BackfillRunner.Run;
import dev.clerksync.support.DriftedStores;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.SyncStack;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code backfill --reconcile --dry-run}: a deliberately drifted set-up (for each kind a record in
 * sync, one missing here, one gone from Clerk, one newer in Clerk, one whose two stores differ) is
 * reported exactly, by counts in the summary and ids on standard error, and nothing is written.
 */
class BackfillDryRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final FakeClerkApi clerk = FakeClerkApi.start();
    final BackfillRunner backfill = new BackfillRunner(postgres, mongo, clerk);

    @AfterEach
    void stopClerk() {
        clerk.close();
    }

    @Test
    void a_dry_run_reports_each_class_of_drift_with_its_ids_and_writes_nothing() throws Exception {
        DriftedStores.drift(clerk, backfill, mongo);
        Map<String, List<String>> before = everythingStored();

        Run run = backfill.run("--reconcile", "--dry-run");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.summary().get("drift")).isEqualTo(JSON.readTree("""
                {"users":        {"missing_here":1,"gone_from_clerk":1,"newer_in_clerk":1,"stores_disagree":1},
                 "organizations":{"missing_here":1,"gone_from_clerk":1,"newer_in_clerk":1,"stores_disagree":1},
                 "memberships":  {"missing_here":1,"gone_from_clerk":1,"newer_in_clerk":1,"stores_disagree":1}}"""));
        List<String> driftLines = run.err().lines().filter(line -> line.startsWith("drift: ")).toList();
        List<String> expected = new ArrayList<>();
        for (String kind : DriftedStores.KINDS) {
            for (String driftClass : DriftedStores.CLASSES) {
                expected.add("drift: " + kind + " " + driftClass + " 1: " + DriftedStores.idOf(kind, driftClass));
            }
        }
        assertThat(driftLines).containsExactlyElementsOf(expected);
        for (JsonNode kind : List.of(run.summary().get("users"), run.summary().get("organizations"), run.summary().get("memberships"))) {
            assertThat(kind.get("applied").asLong()).isZero();
            assertThat(kind.get("deleted").asLong()).isZero();
        }
        assertThat(everythingStored()).as("every table and collection as it was").isEqualTo(before);
        assertNoPersonalData(run.err());
    }

    @Test
    void dry_run_without_reconcile_is_a_usage_error() {
        Map<String, List<String>> before = everythingStored();

        Run run = backfill.run("--dry-run");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("backfill: --dry-run goes with --reconcile");
        assertThat(run.out()).isEmpty();
        assertThat(clerk.requests()).isEmpty();
        assertThat(everythingStored()).isEqualTo(before);
    }

    @Test
    void dry_run_cannot_resume() {
        Run run = backfill.run("--reconcile", "--dry-run", "--resume");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("backfill: --dry-run cannot --resume");
    }

    /** Every row of every table (PostgreSQL) and every document of every collection (MongoDB), in key order. */
    private Map<String, List<String>> everythingStored() {
        Map<String, List<String>> stored = new LinkedHashMap<>();
        for (Map<String, Object> table : postgres.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")) {
            String name = (String) table.get("table_name");
            List<String> rows = new ArrayList<>(postgres.query("SELECT * FROM " + name).stream().map(Object::toString).toList());
            rows.sort(Comparator.naturalOrder());
            stored.put("postgres " + name, rows);
        }
        for (String collection : mongo.database().listCollectionNames()) {
            List<String> documents = new ArrayList<>();
            for (Document document : mongo.database().getCollection(collection).find()) {
                documents.add(document.toJson());
            }
            documents.sort(Comparator.naturalOrder());
            stored.put("mongodb " + collection, documents);
        }
        return stored;
    }

    /** No name, username, address or number of any stored user or organization, and not the key. */
    private void assertNoPersonalData(String err) {
        List<String> personal = new ArrayList<>();
        for (Map<String, Object> user : postgres.query("SELECT email, phone_number, first_name, last_name, username FROM users")) {
            user.values().stream().filter(value -> value != null).forEach(value -> personal.add(value.toString()));
        }
        for (Map<String, Object> organization : postgres.query("SELECT name, slug FROM organizations")) {
            organization.values().stream().filter(value -> value != null).forEach(value -> personal.add(value.toString()));
        }
        personal.addAll(List.of("Renamed", "Edited", "@example.com", FakeClerkApi.KEY));
        assertThat(personal).hasSizeGreaterThan(10);
        for (String value : personal) {
            assertThat(err).doesNotContain(value);
        }
    }
}
