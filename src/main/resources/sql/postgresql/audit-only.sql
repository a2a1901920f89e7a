-- Any type without a sync: record the delivery as ignored. An event about a user already deleted
-- is recorded erased (README "What it does with a delivery"); the gate takes that user's lock first (see db/migration V2), so
-- that a user.deleted deciding at the same moment either sees this entry or is seen by it.
-- Returns 'ignored' and whether the payload was erased; no row when this svix-id is already in audit_log.
WITH gate AS MATERIALIZED (
    SELECT clerk_sync_owner_deleted('user', :#userId) AS user_deleted
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
       'ignored', CASE WHEN user_deleted THEN '{"erased": true}' ELSE CAST(:#payload AS jsonb) END
FROM gate
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, payload = '{"erased": true}' AS erased
