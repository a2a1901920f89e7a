-- Any type without a sync, for a round of deliveries at once (the rules of upsert-user.sql for the
-- arrays, the round and the locks): record the delivery as ignored. An event about a user already
-- deleted is recorded erased (docs/how-it-works.md); the transaction holds that
-- user's lock (begin-batch.sql), so that a user.deleted deciding at the same moment either sees this
-- entry or is seen by it.
-- Returns, for each delivery recorded here, its svix-id, 'ignored', and whether its payload was
-- erased; no row for a svix-id already in audit_log.
WITH delivery AS (
    SELECT d.*,
           EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS user_deleted
    FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
                CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
                CAST(:#payload AS jsonb[]))
         AS d(event_id, event_type, subject_id, user_id, event_at, received_at, payload)
)
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at,
       'ignored', CASE WHEN user_deleted THEN '{"erased": true}' ELSE payload END
FROM delivery
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
