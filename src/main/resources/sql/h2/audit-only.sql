-- The embedded twin of sql/postgresql/audit-only.sql, in H2's SQL.
SELECT outcome FROM FINAL TABLE (
    INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
    SELECT :#eventId, :#eventType, :#subjectId, CAST(:#eventAt AS TIMESTAMP WITH TIME ZONE),
           CAST(:#receivedAt AS TIMESTAMP WITH TIME ZONE), 'ignored', :#payload FORMAT JSON
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
)
