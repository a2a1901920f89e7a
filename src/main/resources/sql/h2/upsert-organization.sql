-- The embedded twin of sql/postgresql/upsert-organization.sql, in H2's SQL, for one delivery.
-- Returns, when the svix-id is not in audit_log yet, the outcome and false; no row otherwise. It
-- writes no audit entry: record-delivery.sql writes it next.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO organizations o
           USING (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#name AS VARCHAR), CAST(:#slug AS VARCHAR),
                          CAST(:#imageUrl AS VARCHAR), CAST(:#createdBy AS VARCHAR),
                          CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE), CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE), CAST(:#eventId AS VARCHAR), :#data FORMAT JSON))
                 AS s (id, name, slug, image_url, created_by, created_at, updated_at, last_event_at, last_event_id, data)
           ON o.id = s.id
           WHEN MATCHED AND o.last_event_at < s.last_event_at AND o.deleted_at IS NULL THEN UPDATE SET
               name = s.name, slug = s.slug, image_url = s.image_url, created_by = s.created_by,
               created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at,
               last_event_id = s.last_event_id, data = s.data
           WHEN NOT MATCHED THEN INSERT (id, name, slug, image_url, created_by, created_at, updated_at,
                                         last_event_at, last_event_id, data)
               VALUES (s.id, s.name, s.slug, s.image_url, s.created_by, s.created_at, s.updated_at,
                       s.last_event_at, s.last_event_id, s.data)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       FALSE AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
