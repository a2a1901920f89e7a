-- The embedded twin of sql/postgresql/delete-user.sql, in H2's SQL.
SELECT outcome FROM FINAL TABLE (
    INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
    SELECT :#eventId, :#eventType, :#subjectId, CAST(:#eventAt AS TIMESTAMP WITH TIME ZONE),
           CAST(:#receivedAt AS TIMESTAMP WITH TIME ZONE),
           CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
               MERGE INTO users u
               USING (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                              CAST(:#eventId AS VARCHAR)))
                     AS s (id, deleted_at, last_event_id)
               ON u.id = s.id
               WHEN MATCHED AND u.deleted_at IS NULL THEN UPDATE SET
                   email = NULL, phone_number = NULL, first_name = NULL, last_name = NULL, username = NULL,
                   image_url = NULL, created_at = NULL, updated_at = NULL, data = NULL,
                   deleted_at = s.deleted_at, last_event_at = s.deleted_at, last_event_id = s.last_event_id
               WHEN NOT MATCHED THEN INSERT (id, deleted_at, last_event_at, last_event_id)
                   VALUES (s.id, s.deleted_at, s.deleted_at, s.last_event_id)
           )) > 0 THEN 'applied' ELSE 'stale' END,
           :#payload FORMAT JSON
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
)
