-- The relay (routes/change-events.camel.yaml): every destination holds this event, so it is not
-- read again. The same SQL for PostgreSQL and H2.
UPDATE change_events SET published_at = CURRENT_TIMESTAMP WHERE position = :#changeEventPosition
