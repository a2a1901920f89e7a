-- The embedded twin of sql/postgresql/upsert-payment-attempt.sql, in H2's SQL, for one delivery.
-- Returns, when the svix-id is not in audit_log yet, the outcome and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-delivery.sql writes it next.
-- The delivery's owners are locked before it (lock-owner.sql): it reads everything a deletion that
-- held those locks committed.
SELECT CASE WHEN (SELECT COUNT(*) FROM FINAL TABLE (
           MERGE INTO billing_payment_attempts p
           USING (VALUES (CAST(:#subjectId AS VARCHAR),
                          CAST(:#paymentId AS VARCHAR),
                          CAST(:#status AS VARCHAR),
                          CAST(:#userId AS VARCHAR),
                          CAST(:#organizationId AS VARCHAR),
                          CAST(:#amount AS BIGINT),
                          CAST(:#currency AS VARCHAR),
                          CAST(:#paidAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#failedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#failedReason AS VARCHAR),
                          CAST(:#billingDate AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#createdAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#updatedAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#lastEventAt AS TIMESTAMP WITH TIME ZONE),
                          CAST(:#eventId AS VARCHAR),
                          CASE WHEN EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL) THEN :#dataErased FORMAT JSON ELSE :#data FORMAT JSON END))
                 AS s (id, payment_id, status, user_id, organization_id, amount, currency, paid_at, failed_at, failed_reason, billing_date, created_at, updated_at, last_event_at, last_event_id, data)
           ON p.id = s.id
           WHEN MATCHED AND p.last_event_at < s.last_event_at THEN UPDATE SET
               payment_id = s.payment_id, status = s.status, user_id = s.user_id, organization_id = s.organization_id, amount = s.amount, currency = s.currency, paid_at = s.paid_at, failed_at = s.failed_at, failed_reason = s.failed_reason, billing_date = s.billing_date, created_at = s.created_at, updated_at = s.updated_at, last_event_at = s.last_event_at, last_event_id = s.last_event_id, data = s.data
           WHEN NOT MATCHED THEN INSERT (id, payment_id, status, user_id, organization_id, amount, currency, paid_at, failed_at, failed_reason, billing_date, created_at, updated_at, last_event_at, last_event_id, data)
               VALUES (s.id, s.payment_id, s.status, s.user_id, s.organization_id, s.amount, s.currency, s.paid_at, s.failed_at, s.failed_reason, s.billing_date, s.created_at, s.updated_at, s.last_event_at, s.last_event_id, s.data)
       )) > 0 THEN 'applied' ELSE 'stale' END AS "outcome",
       EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                  AND last_event_id <> :#eventId) AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
