package dev.clerksync.changes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox seen from the metrics endpoint: events waiting, the age of the oldest of them, and
 * events parked. Read from the relational store at each scrape, so every replica reports the same.
 */
public final class ChangeEventsMetrics {

    private static final String PENDING = "SELECT COUNT(*) FROM change_events WHERE published_at IS NULL AND parked_at IS NULL";
    private static final String WRITTEN = "SELECT written_at FROM change_events WHERE published_at IS NULL AND parked_at IS NULL";
    private static final String PARKED = "SELECT COUNT(*) FROM change_events WHERE published_at IS NULL AND parked_at IS NOT NULL";

    private final DataSource dataSource;
    private final String dialect;

    private ChangeEventsMetrics(DataSource dataSource, String dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Registers the gauges; the instance answers the same questions for the admin view's status. */
    public static ChangeEventsMetrics register(MeterRegistry meters, DataSource dataSource, String dialect) {
        ChangeEventsMetrics metrics = new ChangeEventsMetrics(dataSource, dialect);
        Gauge.builder("clerk_sync_change_events_pending", () -> metrics.number(PENDING))
                .description("Change events written and not yet published").register(meters);
        Gauge.builder("clerk_sync_change_events_oldest_pending_age_seconds", metrics::oldestAgeSeconds)
                .description("How long the oldest change event not yet published has waited (0 when none)").register(meters);
        Gauge.builder("clerk_sync_change_events_parked", () -> metrics.number(PARKED))
                .description("Change events parked after repeated refusals; their records' later events wait").register(meters);
        return metrics;
    }

    /** Events written and not yet published (NaN when the store does not answer). */
    public double pending() {
        return number(PENDING);
    }

    /** Events parked after repeated refusals (NaN when the store does not answer). */
    public double parked() {
        return number(PARKED);
    }

    /**
     * Seconds since the oldest pending event was written: its change's own clock (Clerk's) would
     * count Clerk's delay too, so this uses the time the store wrote it.
     */
    public double oldestAgeSeconds() {
        String age = "postgresql".equals(dialect)
                ? "SELECT COALESCE(EXTRACT(EPOCH FROM now() - MIN(written_at)), 0) FROM (" + WRITTEN + ") w"
                : "SELECT COALESCE(DATEDIFF('MILLISECOND', MIN(written_at), CURRENT_TIMESTAMP) / 1000.0, 0) FROM (" + WRITTEN + ") w";
        return number(age);
    }

    private double number(String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getDouble(1) : 0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
