-- paymentAttempt.created / .updated, for a round of deliveries at once: the rules of
-- upsert-subscription.sql for a payment attempt, ordered by its data.updated_at.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#paymentId AS text[]), CAST(:#status AS text[]), CAST(:#organizationId AS text[]),
                CAST(:#amount AS bigint[]), CAST(:#currency AS text[]), CAST(:#paidAt AS timestamptz[]),
                CAST(:#failedAt AS timestamptz[]), CAST(:#failedReason AS text[]),
                CAST(:#billingDate AS timestamptz[]), CAST(:#createdAt AS timestamptz[]),
                CAST(:#updatedAt AS timestamptz[]), CAST(:#data AS jsonb[]), CAST(:#dataErased AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              payment_id, status, organization_id, amount, currency, paid_at, failed_at, failed_reason,
              billing_date, created_at, updated_at, data, data_erased)
), effect AS (
    INSERT INTO billing_payment_attempts AS p (id, payment_id, status, user_id, organization_id, amount,
                                               currency, paid_at, failed_at, failed_reason, billing_date,
                                               created_at, updated_at, last_event_at, last_event_id, data)
    SELECT subject_id, payment_id, status, user_id, organization_id, amount, currency, paid_at, failed_at,
           failed_reason, billing_date, created_at, updated_at, last_event_at, event_id,
           CASE WHEN user_deleted THEN data_erased ELSE data END
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        payment_id = EXCLUDED.payment_id,
        status = EXCLUDED.status,
        user_id = EXCLUDED.user_id,
        organization_id = EXCLUDED.organization_id,
        amount = EXCLUDED.amount,
        currency = EXCLUDED.currency,
        paid_at = EXCLUDED.paid_at,
        failed_at = EXCLUDED.failed_at,
        failed_reason = EXCLUDED.failed_reason,
        billing_date = EXCLUDED.billing_date,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE p.last_event_at < EXCLUDED.last_event_at
    RETURNING p.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
