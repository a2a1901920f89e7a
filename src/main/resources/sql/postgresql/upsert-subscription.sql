-- subscription.* (created, updated, active, pastDue), for a round of deliveries at once (CONTRACT §12,
-- docs/billing.md): the rules of upsert-user.sql for a subscription (the arrays, the round and the
-- locks too), ordered by data.updated_at; nothing deletes it. When its payer's user is deleted, it
-- is stored without the payer's personal data (dataErased) and its audit payload is erased (§5).
-- An applied subscription also upserts each of its embedded items (data.items, unpacked from the
-- items JSON that SqlParameters makes) under the item's own clock, its updated_at: an item event
-- already newer keeps its state. A stale subscription changes nothing, its items included.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#status AS text[]), CAST(:#payerId AS text[]), CAST(:#organizationId AS text[]),
                CAST(:#activeAt AS timestamptz[]), CAST(:#canceledAt AS timestamptz[]),
                CAST(:#endedAt AS timestamptz[]), CAST(:#pastDueAt AS timestamptz[]),
                CAST(:#createdAt AS timestamptz[]), CAST(:#updatedAt AS timestamptz[]),
                CAST(:#data AS jsonb[]), CAST(:#dataErased AS jsonb[]), CAST(:#items AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              status, payer_id, organization_id, active_at, canceled_at, ended_at, past_due_at,
              created_at, updated_at, data, data_erased, items)
), effect AS (
    INSERT INTO billing_subscriptions AS b (id, status, payer_id, user_id, organization_id, active_at,
                                            canceled_at, ended_at, past_due_at, created_at, updated_at,
                                            last_event_at, last_event_id, data)
    SELECT subject_id, status, payer_id, user_id, organization_id, active_at, canceled_at, ended_at,
           past_due_at, created_at, updated_at, last_event_at, event_id,
           CASE WHEN user_deleted THEN data_erased ELSE data END
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status,
        payer_id = EXCLUDED.payer_id,
        user_id = EXCLUDED.user_id,
        organization_id = EXCLUDED.organization_id,
        active_at = EXCLUDED.active_at,
        canceled_at = EXCLUDED.canceled_at,
        ended_at = EXCLUDED.ended_at,
        past_due_at = EXCLUDED.past_due_at,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE b.last_event_at < EXCLUDED.last_event_at
    RETURNING b.last_event_id
), embedded AS (
    -- One row per item id (an item listed twice keeps its newest): one statement cannot touch a row twice.
    SELECT DISTINCT ON (i."subjectId") i.*, d.event_id
    FROM delivery d
    JOIN effect e ON e.last_event_id = d.event_id
    CROSS JOIN LATERAL jsonb_to_recordset(d.items) AS i("subjectId" text, "lastEventAt" timestamptz,
        "subscriptionId" text, "status" text, "planId" text, "planSlug" text, "interval" text,
        "isFreeTrial" boolean, "periodStart" timestamptz, "periodEnd" timestamptz, "userId" text,
        "organizationId" text, "createdAt" timestamptz, "updatedAt" timestamptz, "data" jsonb)
    ORDER BY i."subjectId", i."lastEventAt" DESC
), items AS (
    INSERT INTO billing_subscription_items AS t (id, subscription_id, status, plan_id, plan_slug, interval,
                                                 is_free_trial, period_start, period_end, user_id,
                                                 organization_id, created_at, updated_at, last_event_at,
                                                 last_event_id, data)
    SELECT "subjectId", "subscriptionId", "status", "planId", "planSlug", "interval", "isFreeTrial",
           "periodStart", "periodEnd", "userId", "organizationId", "createdAt", "updatedAt", "lastEventAt",
           event_id, "data"
    FROM embedded
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
    RETURNING t.id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
