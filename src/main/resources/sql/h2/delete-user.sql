-- The embedded twin of sql/postgresql/delete-user.sql, in H2's SQL, for one delivery. The cascade runs
-- only when the MERGE applied (AND stops at the first false operand); the deletion's own entry is
-- not erased (last_event_id <> :#eventId, upsert-user.sql).
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
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
       )) > 0
           -- Applied: the cascade, as in clerk_sync_cascade (db/migration/postgresql/V2).
           AND (SELECT COUNT(*) FROM FINAL TABLE (
               UPDATE organization_memberships SET role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
                   deleted_at = CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                   last_event_at = CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE), last_event_id = :#eventId
               WHERE user_id = :#subjectId AND deleted_at IS NULL)) >= 0
           AND (SELECT COUNT(*) FROM FINAL TABLE (
               UPDATE audit_log SET payload = JSON '{"erased":true}'
               WHERE user_id = :#subjectId AND event_id <> :#eventId)) >= 0
       THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
