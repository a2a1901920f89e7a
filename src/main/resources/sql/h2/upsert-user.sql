-- The embedded twin of sql/postgresql/upsert-user.sql, in H2's SQL, for one delivery.
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
-- The user is deleted "by another delivery than this one" (last_event_id <> :#eventId): the erasure
-- is read after the MERGE, and a user's deletion keeps its own entry's payload.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO users u
           USING (VALUES (CAST(:#subjectId AS VARCHAR), CAST(:#email AS VARCHAR), CAST(:#phoneNumber AS VARCHAR),
                          CAST(:#firstName AS VARCHAR), CAST(:#lastName AS VARCHAR), CAST(:#username AS VARCHAR),
                          CAST(:#imageUrl AS VARCHAR), CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE), CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#eventId AS VARCHAR), :#data FORMAT JSON))
                 AS s (id, email, phone_number, first_name, last_name, username, image_url,
                       created_at, updated_at, last_event_at, last_event_id, data)
           ON u.id = s.id
           WHEN MATCHED AND u.last_event_at < s.last_event_at AND u.deleted_at IS NULL THEN UPDATE SET
               email = s.email, phone_number = s.phone_number, first_name = s.first_name,
               last_name = s.last_name, username = s.username, image_url = s.image_url,
               created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at,
               last_event_id = s.last_event_id, data = s.data
           WHEN NOT MATCHED THEN INSERT (id, email, phone_number, first_name, last_name, username, image_url,
                                         created_at, updated_at, last_event_at, last_event_id, data)
               VALUES (s.id, s.email, s.phone_number, s.first_name, s.last_name, s.username, s.image_url,
                       s.created_at, s.updated_at, s.last_event_at, s.last_event_id, s.data)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
