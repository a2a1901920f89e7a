-- subscriptionItem.* (updated, active, canceled, upcoming, ended, abandoned, incomplete, pastDue,
-- freeTrialEnding), for a round of deliveries at once: the rules of upsert-subscription.sql for an
-- item, ordered by its data.updated_at (an item embedded in a subscription event is written by
-- upsert-subscription.sql under the same guard).
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#subscriptionId AS text[]), CAST(:#status AS text[]), CAST(:#planId AS text[]),
                CAST(:#planSlug AS text[]), CAST(:#interval AS text[]), CAST(:#isFreeTrial AS boolean[]),
                CAST(:#periodStart AS timestamptz[]), CAST(:#periodEnd AS timestamptz[]),
                CAST(:#organizationId AS text[]), CAST(:#createdAt AS timestamptz[]),
                CAST(:#updatedAt AS timestamptz[]), CAST(:#data AS jsonb[]), CAST(:#dataErased AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              subscription_id, status, plan_id, plan_slug, interval, is_free_trial, period_start, period_end,
              organization_id, created_at, updated_at, data, data_erased)
), effect AS (
    INSERT INTO billing_subscription_items AS t (id, subscription_id, status, plan_id, plan_slug, interval,
                                                 is_free_trial, period_start, period_end, user_id,
                                                 organization_id, created_at, updated_at, last_event_at,
                                                 last_event_id, data)
    SELECT subject_id, subscription_id, status, plan_id, plan_slug, interval, is_free_trial, period_start,
           period_end, user_id, organization_id, created_at, updated_at, last_event_at, event_id,
           CASE WHEN user_deleted THEN data_erased ELSE data END
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        subscription_id = EXCLUDED.subscription_id,
        status = EXCLUDED.status,
        plan_id = EXCLUDED.plan_id,
        plan_slug = EXCLUDED.plan_slug,
        interval = EXCLUDED.interval,
        is_free_trial = EXCLUDED.is_free_trial,
        period_start = EXCLUDED.period_start,
        period_end = EXCLUDED.period_end,
        user_id = EXCLUDED.user_id,
        organization_id = EXCLUDED.organization_id,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE t.last_event_at < EXCLUDED.last_event_at
    RETURNING t.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
