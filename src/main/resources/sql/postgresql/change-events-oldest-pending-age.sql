-- The metrics' and admin view's backlog (ChangeEventsMetrics): seconds since the oldest event
-- waiting for the relay was written (0 when none). written_at, not the change's own clock, which
-- would count Clerk's delay too.
SELECT COALESCE(EXTRACT(EPOCH FROM now() - MIN(written_at)), 0)
FROM change_events
WHERE published_at IS NULL AND parked_at IS NULL
