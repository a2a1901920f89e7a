-- organization.created / .updated, for a round of deliveries at once: the rules of upsert-user.sql
-- for an organization (the arrays, the round and the locks too). An organization's payload is never
-- erased: no user owns it.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and false; no row for
-- a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*, EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]),
                CAST(:#name AS text[]), CAST(:#slug AS text[]), CAST(:#imageUrl AS text[]),
                CAST(:#createdBy AS text[]), CAST(:#createdAt AS timestamptz[]), CAST(:#updatedAt AS timestamptz[]),
                CAST(:#data AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at,
              name, slug, image_url, created_by, created_at, updated_at, data)
), effect AS (
    INSERT INTO organizations AS o (id, name, slug, image_url, created_by, created_at, updated_at,
                                    last_event_at, last_event_id, data)
    SELECT subject_id, name, slug, image_url, created_by, created_at, updated_at, last_event_at, event_id, data
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        slug = EXCLUDED.slug,
        image_url = EXCLUDED.image_url,
        created_by = EXCLUDED.created_by,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE o.last_event_at < EXCLUDED.last_event_at AND o.deleted_at IS NULL
    RETURNING o.last_event_id
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id IN (SELECT last_event_id FROM effect) THEN 'applied' ELSE 'stale' END, payload
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", false AS "erased"
