package dev.clerksync.backfill;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import dev.clerksync.StoresConfiguration;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.backfill.DriftReport.DriftClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile pass the service runs itself ({@code RECONCILE_EVERY}, routes/reconcile.camel.yaml):
 * {@code backfill --reconcile}, a real repair pass, when the last reconcile recorded in the stores
 * started at least the interval ago, so that restarts and a change of replica neither skip nor
 * repeat one. Its repairs and last run go to the metrics; its drift report stays with its run in
 * {@code backfill_runs}, where the admin view reads it. Logs counts only, never an id or a value.
 */
public final class ScheduledReconcile {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledReconcile.class);

    private final ReconcileSchedule schedule;
    private final StoresConfiguration stores;
    private final Clock clock;
    private final Map<Kind, Map<DriftClass, Counter>> repairs = new EnumMap<>(Kind.class);
    private volatile double lastEnd = Double.NaN;
    private volatile double lastSucceeded = Double.NaN;

    public ScheduledReconcile(ReconcileSchedule schedule, StoresConfiguration stores, MeterRegistry meters, Clock clock) {
        this.schedule = schedule;
        this.stores = stores;
        this.clock = clock;
        for (Kind kind : Kind.reconciledKinds()) {
            Map<DriftClass, Counter> byClass = new EnumMap<>(DriftClass.class);
            for (DriftClass drift : DriftClass.values()) {
                // Registered at 0, so that an alert on their increase sees the first repair.
                byClass.put(drift, Counter.builder("clerk_sync_reconcile_repairs")
                        .description("Records the scheduled reconcile repaired, by kind and drift class")
                        .tag("kind", kind.key()).tag("class", drift.key()).register(meters));
            }
            repairs.put(kind, byClass);
        }
        Gauge.builder("clerk_sync_reconcile_last_run_end_timestamp_seconds", () -> lastEnd)
                .description("When this replica's last scheduled reconcile ended (Unix time); NaN before the first")
                .register(meters);
        Gauge.builder("clerk_sync_reconcile_last_run_success", () -> lastSucceeded)
                .description("1 when this replica's last scheduled reconcile finished, 0 when it stopped on an error")
                .register(meters);
    }

    /** Runs a reconcile pass when one is due; called by the replica that holds the reconcile lock. */
    public void runIfDue() {
        BackfillStores backfillStores = BackfillStores.of(stores);
        Instant last = backfillStores.lastReconcileStart();
        if (last != null && last.plus(schedule.every()).isAfter(clock.instant())) {
            return;
        }
        BackfillOptions options = schedule.options();
        ClerkApi api = ClerkApi.of(options);
        BackfillSummary summary = new BackfillSummary();
        DriftReport drift = new DriftReport();
        // Standard error only hears of a run that could not even be marked failed: everything else is logged.
        Backfill backfill = BackfillMain.backfill(options, api, stores, summary, drift, System.err);
        boolean succeeded = false;
        try {
            backfill.run();
            succeeded = true;
            LOG.info("scheduled reconcile {} done: {}", backfill.runId(), summary.toJson(backfill.runId(), api.requests(),
                    api.rateLimited(), backfill.elapsed(), drift));
        } catch (ClerkApiException e) {
            // Its message names the request and the status, never the key or a body.
            LOG.warn("scheduled reconcile {} stopped: {}; the next one runs in {}", backfill.runId(), e.getMessage(), schedule.every());
        } catch (RuntimeException | SQLException e) {
            LOG.warn("scheduled reconcile {} stopped on a store error ({}); the next one runs in {}", backfill.runId(),
                    e.getClass().getSimpleName(), schedule.every());
        } finally {
            for (Kind kind : Kind.reconciledKinds()) {
                for (DriftClass driftClass : DriftClass.values()) {
                    repairs.get(kind).get(driftClass).increment(drift.repaired(kind, driftClass));
                }
            }
            lastSucceeded = succeeded ? 1 : 0;
            lastEnd = clock.instant().toEpochMilli() / 1000.0;
        }
    }
}
