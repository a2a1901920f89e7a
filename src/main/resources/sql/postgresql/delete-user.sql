-- user.deleted, for a round of deliveries at once (the rules of upsert-user.sql for the arrays, the
-- round and the locks): final. Clears every personal column of the user (or leaves a tombstone when
-- the user was never seen) whatever the event's clock, unless the user is already deleted; then the
-- cascade deletes the user's live memberships and erases the payloads of its other audit entries
-- (clerk_sync_cascade, db/migration V2); and records the delivery. A second user.deleted of a
-- deleted user is stale and recorded erased.
-- Returns, for each delivery recorded here, its svix-id, 'applied' or 'stale', and whether its
-- payload was erased; no row for a svix-id already in audit_log.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]), CAST(:#lastEventAt AS timestamptz[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload, last_event_at)
), effect AS (
    INSERT INTO users AS u (id, deleted_at, last_event_at, last_event_id)
    SELECT subject_id, last_event_at, last_event_at, event_id
    FROM delivery
    WHERE NOT audited
    ON CONFLICT (id) DO UPDATE SET
        email = NULL,
        phone_number = NULL,
        first_name = NULL,
        last_name = NULL,
        username = NULL,
        image_url = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE u.deleted_at IS NULL
    RETURNING u.id, u.deleted_at, u.last_event_id
), cascaded AS MATERIALIZED (
    -- One row, from every row of effect: each cascade runs, whatever the insert below reads of it.
    SELECT array_agg(last_event_id) AS event_ids
    FROM (SELECT last_event_id, clerk_sync_cascade('user', id, deleted_at, last_event_id) FROM effect) AS c
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       CASE WHEN event_id = ANY (cascaded.event_ids) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery, cascaded
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
