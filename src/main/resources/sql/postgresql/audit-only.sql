-- Any type without a sync, for a round of deliveries at once (the rules of upsert-user.sql for the
-- arrays, the round and the locks): no effect, each delivery is ignored. An event about a user
-- already deleted is recorded erased (docs/how-it-works.md); the transaction holds that user's lock
-- (begin-batch.sql), so that a user.deleted deciding at the same moment either sees this entry or is
-- seen by it.
-- Returns, for each delivery decided here, its svix-id, 'ignored', and whether its payload is to be
-- recorded erased; no row for a svix-id already in audit_log. It writes no audit entry:
-- record-deliveries.sql writes the round's, after every action statement of the round.
SELECT d.event_id AS "event_id", 'ignored' AS "outcome",
       EXISTS (SELECT 1 FROM users x WHERE x.id = d.user_id AND x.deleted_at IS NOT NULL OFFSET 0) AS "erased"
FROM unnest(CAST(:#eventId AS text[]), CAST(:#userId AS text[])) AS d(event_id, user_id)
WHERE NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.event_id = d.event_id OFFSET 0)
