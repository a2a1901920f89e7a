-- organizationMembership.deleted, for a round of deliveries at once (the rules of upsert-user.sql for
-- the arrays, the round and the locks): final, as delete-user.sql, for a membership: it keeps its
-- organization and user ids, which the cascades find it by. An event of a deleted user is recorded
-- erased.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]), CAST(:#organizationId AS text[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              organization_id)
), effect AS (
    INSERT INTO organization_memberships AS m (id, organization_id, user_id, deleted_at, last_event_at, last_event_id)
    SELECT subject_id, organization_id, user_id, last_event_at, last_event_at, event_id
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        role = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE m.deleted_at IS NULL
    RETURNING m.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
