-- user.deleted, for a round of deliveries at once (the rules of upsert-user.sql for the arrays, the
-- round and the locks): final. Clears every personal column of the user (or leaves a tombstone when
-- the user was never seen) whatever the event's clock, unless the user is already deleted; then the
-- cascade deletes the user's live memberships and erases the payloads of its other audit entries
-- (clerk_sync_cascade, db/migration V2, all but the deletion's own entry, which is written after it);
-- and decides the delivery. A second user.deleted of a deleted user is stale and recorded erased;
-- the deletion's own entry is not: user_deleted is read in the statement's snapshot, taken before
-- its own deletion.
-- Returns, for each delivery decided here, its svix-id, 'applied' or 'stale', and whether its
-- payload is to be recorded erased; no row for a svix-id already in audit_log. It writes no audit
-- entry: record-deliveries.sql writes the round's, after every action statement of the round.
WITH delivery AS MATERIALIZED (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted,
           EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0) AS audited
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#subjectId AS text[]), CAST(:#userId AS text[]),
                CAST(:#lastEventAt AS timestamptz[]))
         AS d(event_id, subject_id, user_id, last_event_at)
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
    -- One row, from every row of effect: each cascade runs, whatever the select below reads of it.
    SELECT array_agg(last_event_id) AS event_ids
    FROM (SELECT last_event_id, clerk_sync_cascade('user', id, deleted_at, last_event_id) FROM effect) AS c
)
SELECT event_id AS "event_id",
       CASE WHEN event_id = ANY (cascaded.event_ids) THEN 'applied' ELSE 'stale' END AS "outcome",
       user_deleted AS "erased"
FROM delivery, cascaded
WHERE NOT audited
