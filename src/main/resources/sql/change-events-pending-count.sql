-- The metrics' and admin view's backlog (ChangeEventsMetrics): events waiting for the relay.
SELECT COUNT(*) FROM change_events WHERE published_at IS NULL AND parked_at IS NULL
