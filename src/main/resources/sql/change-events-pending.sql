-- The relay's poll (routes/change-events.camel.yaml): the oldest change events not yet published,
-- in the order they were written, less every event of a record that has a parked event (that
-- record waits for an operator; the others go on). The same SQL for PostgreSQL and H2.
SELECT e.position, CAST(e.id AS VARCHAR) AS id, e.type, e.subject, e.seq, e.attempts, e.source_event_id,
       CAST(e.changed AS VARCHAR) AS changed, CAST(e.data AS VARCHAR) AS data, e.traceparent
FROM change_events e
WHERE e.published_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM change_events p
                  WHERE p.subject = e.subject AND p.parked_at IS NOT NULL AND p.published_at IS NULL)
ORDER BY e.position
FETCH FIRST 200 ROWS ONLY
