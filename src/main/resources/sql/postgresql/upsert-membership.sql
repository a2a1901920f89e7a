-- organizationMembership.created / .updated, for a round of deliveries at once: the rules of
-- upsert-user.sql for a membership (the arrays, the round and the locks too), and stale when its
-- organization or its user is deleted: no live membership of a deleted organization or user ever
-- exists. The transaction holds the user's and the organization's locks (begin-batch.sql): a
-- cascade deciding at the same moment either sees this membership or is seen by it.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM organizations x
                   WHERE x.id = d.organization_id AND x.deleted_at IS NOT NULL OFFSET 0) AS organization_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#organizationId AS text[]), CAST(:#role AS text[]), CAST(:#createdAt AS timestamptz[]),
                CAST(:#updatedAt AS timestamptz[]), CAST(:#data AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              organization_id, role, created_at, updated_at, data)
), effect AS (
    INSERT INTO organization_memberships AS m (id, organization_id, user_id, role, created_at, updated_at,
                                               last_event_at, last_event_id, data)
    SELECT subject_id, organization_id, user_id, role, created_at, updated_at, last_event_at, event_id, data
    FROM delivery
    WHERE NOT user_deleted AND NOT organization_deleted AND NOT audited
    ON CONFLICT (id) DO UPDATE SET
        organization_id = EXCLUDED.organization_id,
        user_id = EXCLUDED.user_id,
        role = EXCLUDED.role,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE m.last_event_at < EXCLUDED.last_event_at AND m.deleted_at IS NULL
    RETURNING m.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
