-- The embedded twin of sql/postgresql/audit-only.sql, in H2's SQL.
-- Its WHERE first updates the row of the event's user (or organization) in clerk_sync_owner_locks and
-- holds that lock until it commits: a deletion deciding at the same moment and this delivery then
-- read each other's writes (H2's twin of PostgreSQL's owner locks, db/migration/h2/V2).
SELECT outcome AS "outcome", payload = JSON '{"erased":true}' AS "erased" FROM FINAL TABLE (
    INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
    SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS TIMESTAMP WITH TIME ZONE),
           CAST(:#receivedAt AS TIMESTAMP WITH TIME ZONE), 'ignored',
           CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                                AND last_event_id <> :#eventId)
                THEN JSON '{"erased":true}' ELSE :#payload FORMAT JSON END
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
      AND (:#userId IS NULL OR (SELECT COUNT(*) FROM FINAL TABLE (
              MERGE INTO clerk_sync_owner_locks KEY (owner) VALUES (CAST('user:' || :#userId AS VARCHAR)))) >= 0)
)
