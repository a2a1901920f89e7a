package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.AdminClient;
import dev.clerksync.support.BackfillRunner;
import dev.clerksync.support.DriftedStores;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.HeadlessChromium;
import dev.clerksync.support.Metrics;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.StoredMembership;
import dev.clerksync.support.StoredOrganization;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;

/**
 * {@code RECONCILE_EVERY}: two replicas on drifted stores; the one holding the reconcile lock runs
 * the passes, one at a time, repairs what Clerk's view says, counts each repair once, and the admin
 * view shows the last pass's drift. The other takes over when it goes.
 */
class ScheduledReconcileTest {

    private static final String TOKEN = "scheduled-reconcile-admin-token";
    private static final String LAST_END = "clerk_sync_reconcile_last_run_end_timestamp_seconds";
    private static final String RECONCILE_RUNS = "SELECT started_at, finished_at, status FROM backfill_runs "
            + "WHERE options LIKE '%reconcile%' ORDER BY started_at";

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final FakeClerkApi clerk = FakeClerkApi.start();
    final BackfillRunner backfill = new BackfillRunner(postgres, mongo, clerk);
    final List<RunningService> services = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(RunningService::close);
        clerk.close();
    }

    @Test
    void the_replica_holding_the_lock_repairs_the_drift_once_and_the_other_takes_over_when_it_goes() throws Exception {
        DriftedStores.drift(clerk, backfill, mongo);
        RunningService first = start(reconciling("3s"));
        RunningService second = start(reconciling("3s"));

        // The pass that repairs, then one that finds nothing left to repair.
        await().atMost(Duration.ofSeconds(60)).until(() -> postgres.count(
                "SELECT count(*) FROM backfill_runs WHERE options LIKE '%reconcile%' AND status = 'done'") >= 2);
        boolean firstRan = !Metrics.series(first, LAST_END).isNaN();
        RunningService holder = firstRan ? first : second;
        RunningService other = firstRan ? second : first;
        assertThat(Metrics.series(other, LAST_END)).as("the replica without the lock never ran one").isNaN();
        assertThat(Metrics.series(holder, "clerk_sync_reconcile_last_run_success")).isEqualTo(1.0);
        for (String kind : DriftedStores.KINDS) {
            for (String driftClass : DriftedStores.CLASSES) {
                String series = "clerk_sync_reconcile_repairs_total{class=\"" + driftClass + "\",kind=\"" + kind + "\"}";
                // MongoDB's edited copies are not the reconcile's to repair: Clerk changed nothing (resync is).
                double expected = driftClass.equals("stores_disagree") ? 0 : 1;
                assertThat(Metrics.series(holder, series)).as(series).isEqualTo(expected);
                assertThat(Metrics.series(other, series)).as(series).isZero();
            }
        }
        assertOneAtATime();
        assertThat(StoredUser.inPostgres(postgres, "user_missing")).isNotNull();
        assertThat(StoredUser.inMongo(mongo, "user_gone").deletedAt()).isNotNull();
        assertThat(StoredUser.inMongo(mongo, "user_newer").firstName()).isEqualTo("Renamed");
        assertThat(StoredOrganization.inPostgres(postgres, "org_gone").deletedAt()).isNotNull();
        assertThat(StoredMembership.inMongo(mongo, "orgmem_missing")).isNotNull();

        JsonNode last = new AdminClient(holder.managementUrl(), TOKEN).get("/admin/api/status").json().get("last_reconcile");
        assertThat(last.get("status").asText()).isEqualTo("done");
        for (String kind : DriftedStores.KINDS) {
            assertThat(last.at("/drift/" + kind + "/stores_disagree").asLong()).as(kind).isEqualTo(1);
            assertThat(last.at("/drift/" + kind + "/missing_here").asLong()).as(kind).isZero();
            assertThat(last.at("/drift/" + kind + "/newer_in_clerk").asLong()).as(kind).isZero();
            assertThat(last.at("/drift/" + kind + "/gone_from_clerk").asLong()).as(kind).isZero();
        }
        assertThePageShows(holder, "Last reconcile", "done", "users: stores disagree 1",
                "organizations: stores disagree 1", "memberships: stores disagree 1");

        holder.close();
        services.remove(holder);
        await().atMost(Duration.ofSeconds(60)).until(() -> !Metrics.series(other, LAST_END).isNaN());
        assertOneAtATime();
    }

    @Test
    void an_interval_that_is_not_a_duration_stops_start_up_saying_how_to_write_one() {
        assertThatThrownBy(() -> start(reconciling("daily")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("RECONCILE_EVERY must be a whole number and a unit (s, m, h or d), such as 24h or 90m (it is 'daily')");
        assertThatThrownBy(() -> start(reconciling("0h"))).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void an_interval_without_a_clerk_key_stops_start_up() {
        Map<String, String> settings = reconciling("24h");
        settings.remove("clerk.api.secret-key");

        assertThatThrownBy(() -> start(settings))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("RECONCILE_EVERY is set but CLERK_SECRET_KEY is not");
    }

    @Test
    void an_interval_without_the_relational_store_stops_start_up() {
        Map<String, String> settings = reconciling("24h");
        settings.put("clerk.sync.stores", "mongodb");

        assertThatThrownBy(() -> start(settings))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("RECONCILE_EVERY needs the relational store");
    }

    private Map<String, String> reconciling(String every) {
        Map<String, String> settings = new HashMap<>(RunningService.storeSettings(postgres, mongo));
        settings.put("clerk.reconcile.every", every);
        settings.put("clerk.api.secret-key", FakeClerkApi.KEY);
        settings.put("clerk.api.url", clerk.baseUrl().toString());
        settings.put("clerk.admin.token", TOKEN);
        return settings;
    }

    private RunningService start(Map<String, String> settings) {
        RunningService service = RunningService.start(settings);
        services.add(service);
        return service;
    }

    /** The admin page's status panel, in a real browser, and no console error. */
    private static void assertThePageShows(RunningService service, String... texts) throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start()) {
            chromium.sendHeader("Authorization", "Bearer " + TOKEN);
            chromium.driver().get(service.managementUrl() + "/admin/");
            await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                    .untilAsserted(() -> assertThat(chromium.driver().findElement(By.id("status")).getText()).contains(texts));
            assertThat(chromium.consoleErrors()).isEmpty();
        }
    }

    /** Each reconcile pass ended before the next began. */
    private void assertOneAtATime() {
        List<Map<String, Object>> runs = postgres.query(RECONCILE_RUNS);
        for (int i = 1; i < runs.size(); i++) {
            Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("finished_at");
            Timestamp nextStart = (Timestamp) runs.get(i).get("started_at");
            assertThat(previousEnd).as(runs.toString()).isNotNull();
            assertThat(previousEnd).as(runs.toString()).isBeforeOrEqualTo(nextStart);
        }
    }
}
