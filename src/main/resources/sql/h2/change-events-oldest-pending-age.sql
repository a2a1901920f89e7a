-- The embedded twin of sql/postgresql/change-events-oldest-pending-age.sql: H2 has no EXTRACT(EPOCH
-- FROM interval), so the age is a difference in milliseconds.
SELECT COALESCE(DATEDIFF('MILLISECOND', MIN(written_at), CURRENT_TIMESTAMP) / 1000.0, 0)
FROM change_events
WHERE published_at IS NULL AND parked_at IS NULL
