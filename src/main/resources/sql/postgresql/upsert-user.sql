-- user.created / user.updated: upsert the user unless the stored one is as new or newer, or
-- deleted (the guard is in the write itself), and record the delivery, in one statement.
-- Returns 'applied' or 'stale'; no row when this svix-id is already in audit_log.
WITH effect AS (
    INSERT INTO users AS u (id, email, phone_number, first_name, last_name, username, image_url,
                            created_at, updated_at, last_event_at, last_event_id, data)
    SELECT :#subjectId, :#email, :#phoneNumber, :#firstName, :#lastName, :#username, :#imageUrl,
           CAST(:#createdAt AS timestamptz), CAST(:#updatedAt AS timestamptz),
           CAST(:#lastEventAt AS timestamptz), :#eventId, CAST(:#data AS jsonb)
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
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
VALUES (:#eventId, :#eventType, :#subjectId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
        CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END, CAST(:#payload AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome
