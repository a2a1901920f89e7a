-- organization.deleted, for a round of deliveries at once: the rules of delete-user.sql for an
-- organization (the arrays, the round and the locks too); its cascade deletes the organization's
-- live memberships. An organization's payload is never erased: no user owns it.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and false; no row for
-- a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*, EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at)
), effect AS (
    INSERT INTO organizations AS o (id, deleted_at, last_event_at, last_event_id)
    SELECT subject_id, last_event_at, last_event_at, event_id
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        name = NULL,
        slug = NULL,
        image_url = NULL,
        created_by = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE o.deleted_at IS NULL
    RETURNING o.id, o.deleted_at, o.last_event_id
), cascaded AS MATERIALIZED (
    -- One row, from every row of effect: each cascade runs, whatever the insert below reads of it.
    SELECT array_agg(last_event_id) AS event_ids
    FROM (SELECT last_event_id, clerk_sync_cascade('organization', id, deleted_at, last_event_id) FROM effect) AS c
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id = ANY (cascaded.event_ids) THEN 'applied' ELSE 'stale' END, payload
FROM delivery, cascaded
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", false AS "erased"
