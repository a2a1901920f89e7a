-- user.created / user.updated: upsert the user unless the stored one is as new or newer, or
-- deleted (the guard is in the write itself), and record the delivery, in one statement. The gate
-- takes the user's lock first (see db/migration V2): an event of a deleted user is recorded erased.
-- Returns 'applied' or 'stale' and whether the payload was erased; no row when this svix-id is
-- already in audit_log.
WITH gate AS MATERIALIZED (
    SELECT clerk_sync_owner_deleted('user', :#userId) AS user_deleted
), effect AS (
    INSERT INTO users AS u (id, email, phone_number, first_name, last_name, username, image_url,
                            created_at, updated_at, last_event_at, last_event_id, data)
    SELECT :#subjectId, :#email, :#phoneNumber, :#firstName, :#lastName, :#username, :#imageUrl,
           CAST(:#createdAt AS timestamptz), CAST(:#updatedAt AS timestamptz),
           CAST(:#lastEventAt AS timestamptz), :#eventId, CAST(:#data AS jsonb)
    FROM gate
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
    ON CONFLICT (id) DO UPDATE SET
        email = EXCLUDED.email,
        phone_number = EXCLUDED.phone_number,
        first_name = EXCLUDED.first_name,
        last_name = EXCLUDED.last_name,
        username = EXCLUDED.username,
        image_url = EXCLUDED.image_url,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE u.last_event_at < EXCLUDED.last_event_at AND u.deleted_at IS NULL
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
       CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE CAST(:#payload AS jsonb) END
FROM gate
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, payload = '{"erased": true}' AS erased
