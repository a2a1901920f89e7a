-- The relay (routes/change-events.camel.yaml): a destination refused this event. One more attempt
-- is counted; at the configured maximum (clerk.change-events.max-attempts, passed as a header:
-- camel-sql does not resolve property placeholders in a classpath file) it is parked, and its
-- record's later events wait (change-events-pending.sql). The same SQL for PostgreSQL and H2.
UPDATE change_events
SET attempts = attempts + 1,
    parked_at = CASE WHEN attempts + 1 >= :#changeEventMaxAttempts THEN CURRENT_TIMESTAMP END
WHERE position = :#changeEventPosition
