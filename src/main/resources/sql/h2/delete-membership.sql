-- The embedded twin of sql/postgresql/delete-membership.sql, in H2's SQL, for one delivery.
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO organization_memberships m
           USING (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#organizationId AS VARCHAR), CAST(:#userId AS VARCHAR),
                          CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE), CAST(:#eventId AS VARCHAR)))
                 AS s (id, organization_id, user_id, deleted_at, last_event_id)
           ON m.id = s.id
           WHEN MATCHED AND m.deleted_at IS NULL THEN UPDATE SET
               role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
               deleted_at = s.deleted_at, last_event_at = s.deleted_at, last_event_id = s.last_event_id
           WHEN NOT MATCHED THEN INSERT (id, organization_id, user_id, deleted_at, last_event_at, last_event_id)
               VALUES (s.id, s.organization_id, s.user_id, s.deleted_at, s.deleted_at, s.last_event_id)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
