-- The embedded twin of sql/postgresql/delete-organization.sql, in H2's SQL, for one delivery. The
-- cascade runs only when the MERGE applied (AND stops at the first false operand).
-- Returns, when the svix-id is not in audit_log yet, the outcome and false; no row otherwise. It
-- writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO organizations o
           USING (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#eventId AS VARCHAR)))
                 AS s (id, deleted_at, last_event_id)
           ON o.id = s.id
           WHEN MATCHED AND o.deleted_at IS NULL THEN UPDATE SET
               name = NULL, slug = NULL, image_url = NULL, created_by = NULL, created_at = NULL,
               updated_at = NULL, data = NULL,
               deleted_at = s.deleted_at, last_event_at = s.deleted_at, last_event_id = s.last_event_id
           WHEN NOT MATCHED THEN INSERT (id, deleted_at, last_event_at, last_event_id)
               VALUES (s.id, s.deleted_at, s.deleted_at, s.last_event_id)
       )) > 0
           AND (SELECT COUNT(*) FROM FINAL TABLE (
               UPDATE organization_memberships SET role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
                   deleted_at = CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                   last_event_at = CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE), last_event_id = :#eventId
               WHERE organization_id = :#subjectId AND deleted_at IS NULL)) >= 0
       THEN 'applied' ELSE 'stale' END AS "outcome",
       FALSE AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
