-- The metrics' and admin view's backlog (ChangeEventsMetrics): events parked after repeated
-- refusals, whose records' later events wait.
SELECT COUNT(*) FROM change_events WHERE published_at IS NULL AND parked_at IS NOT NULL
