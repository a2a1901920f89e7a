package dev.clerksync.changes;

import javax.sql.DataSource;

import dev.clerksync.store.relational.SqlFile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox seen from the metrics endpoint: events waiting, the age of the oldest of them, and
 * events parked. Read from the relational store at each scrape, so every replica reports the same.
 * The queries are sql/change-events-*-count.sql and sql/{dialect}/change-events-oldest-pending-age.sql.
 */
public final class ChangeEventsMetrics {

    private final JdbcTemplate jdbc;
    private final String pending = SqlFile.load("sql/change-events-pending-count.sql").jdbcText();
    private final String parked = SqlFile.load("sql/change-events-parked-count.sql").jdbcText();
    private final String oldestAge;

    private ChangeEventsMetrics(DataSource dataSource, String dialect) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.oldestAge = SqlFile.load("sql/" + dialect + "/change-events-oldest-pending-age.sql").jdbcText();
    }

    /** Registers the gauges; the instance answers the same questions for the admin view's status. */
    public static ChangeEventsMetrics register(MeterRegistry meters, DataSource dataSource, String dialect) {
        ChangeEventsMetrics metrics = new ChangeEventsMetrics(dataSource, dialect);
        Gauge.builder("clerk_sync_change_events_pending", metrics::pending)
                .description("Change events written and not yet published").register(meters);
        Gauge.builder("clerk_sync_change_events_oldest_pending_age_seconds", metrics::oldestAgeSeconds)
                .description("How long the oldest change event not yet published has waited (0 when none)").register(meters);
        Gauge.builder("clerk_sync_change_events_parked", metrics::parked)
                .description("Change events parked after repeated refusals; their records' later events wait").register(meters);
        return metrics;
    }

    /** Events written and not yet published (NaN when the store does not answer). */
    public double pending() {
        return number(pending);
    }

    /** Events parked after repeated refusals (NaN when the store does not answer). */
    public double parked() {
        return number(parked);
    }

    /**
     * Seconds since the oldest pending event was written: its change's own clock (Clerk's) would
     * count Clerk's delay too, so this uses the time the store wrote it.
     */
    public double oldestAgeSeconds() {
        return number(oldestAge);
    }

    private double number(String sql) {
        try {
            Double value = jdbc.queryForObject(sql, Double.class);
            return value == null ? 0 : value;
        } catch (RuntimeException e) {
            // A scrape must not fail because the store is down: NaN says "unknown".
            return Double.NaN;
        }
    }
}
