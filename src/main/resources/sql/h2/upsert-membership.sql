-- The embedded twin of sql/postgresql/upsert-membership.sql, in H2's SQL, for one delivery: stale, and
-- nothing written, when the membership's organization or user is deleted.
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO organization_memberships m
           USING (SELECT * FROM (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#organizationId AS VARCHAR),
                          CAST(:#userId AS VARCHAR), CAST(:#role AS VARCHAR),
                          CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE), CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE), CAST(:#eventId AS VARCHAR), :#data FORMAT JSON))
                 AS v (id, organization_id, user_id, role, created_at, updated_at, last_event_at, last_event_id, data)
                 WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = v.user_id AND deleted_at IS NOT NULL)
                   AND NOT EXISTS (SELECT 1 FROM organizations WHERE id = v.organization_id AND deleted_at IS NOT NULL)) s
           ON m.id = s.id
           WHEN MATCHED AND m.last_event_at < s.last_event_at AND m.deleted_at IS NULL THEN UPDATE SET
               organization_id = s.organization_id, user_id = s.user_id, role = s.role,
               created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at,
               last_event_id = s.last_event_id, data = s.data
           WHEN NOT MATCHED THEN INSERT (id, organization_id, user_id, role, created_at, updated_at,
                                         last_event_at, last_event_id, data)
               VALUES (s.id, s.organization_id, s.user_id, s.role, s.created_at, s.updated_at,
                       s.last_event_at, s.last_event_id, s.data)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
