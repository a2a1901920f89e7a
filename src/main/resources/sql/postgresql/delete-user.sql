-- user.deleted: final. Clears every personal column of the user (or leaves a tombstone when the
-- user was never seen) whatever the event's clock, unless the user is already deleted; then the
-- cascade deletes the user's live memberships and erases the payloads of its other audit entries
-- (clerk_sync_cascade, db/migration V2, under the user's lock); and records the delivery, in one
-- statement. A second user.deleted of a deleted user is stale and recorded erased.
-- Returns 'applied' or 'stale' and whether the payload was erased; no row when this svix-id is
-- already in audit_log.
WITH gate AS MATERIALIZED (
    SELECT clerk_sync_owner_deleted('user', :#userId) AS user_deleted
), effect AS (
    INSERT INTO users AS u (id, deleted_at, last_event_at, last_event_id)
    SELECT :#subjectId, CAST(:#lastEventAt AS timestamptz), CAST(:#lastEventAt AS timestamptz), :#eventId
    FROM gate
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
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
    RETURNING 1
), cascade AS MATERIALIZED (
    SELECT clerk_sync_cascade('user', :#subjectId, CAST(:#lastEventAt AS timestamptz), :#eventId) FROM effect
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
       CASE WHEN EXISTS (SELECT 1 FROM cascade) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE CAST(:#payload AS jsonb) END
FROM gate
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, payload = '{"erased": true}' AS erased
