-- The embedded twin of sql/postgresql/upsert-subscription.sql, in H2's SQL, for one delivery: the
-- subscription. Its embedded items are upserted after it, when it applied, one statement each
-- (sql/h2/upsert-embedded-item.sql, RelationalDecider): H2 cannot unpack JSON.
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO billing_subscriptions b
           USING (VALUES (CAST(:#subjectId AS VARCHAR),
                          CAST(:#status AS VARCHAR),
                          CAST(:#payerId AS VARCHAR),
                          CAST(:#userId AS VARCHAR),
                          CAST(:#organizationId AS VARCHAR),
                          CAST(:#activeAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#canceledAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#endedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#pastDueAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#eventId AS VARCHAR),
                          CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL) THEN :#dataErased FORMAT JSON ELSE :#data FORMAT JSON END))
                 AS s (id, status, payer_id, user_id, organization_id, active_at, canceled_at, ended_at, past_due_at, created_at, updated_at, last_event_at, last_event_id, data)
           ON b.id = s.id
           WHEN MATCHED AND b.last_event_at < s.last_event_at THEN UPDATE SET
               status = s.status, payer_id = s.payer_id, user_id = s.user_id, organization_id = s.organization_id, active_at = s.active_at, canceled_at = s.canceled_at, ended_at = s.ended_at, past_due_at = s.past_due_at, created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at, last_event_id = s.last_event_id, data = s.data
           WHEN NOT MATCHED THEN INSERT (id, status, payer_id, user_id, organization_id, active_at, canceled_at, ended_at, past_due_at, created_at, updated_at, last_event_at, last_event_id, data)
               VALUES (s.id, s.status, s.payer_id, s.user_id, s.organization_id, s.active_at, s.canceled_at, s.ended_at, s.past_due_at, s.created_at, s.updated_at, s.last_event_at, s.last_event_id, s.data)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
