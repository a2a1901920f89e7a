-- user.deleted: final. Clears every personal column of the user (or leaves a tombstone when the
-- user was never seen) whatever the event's clock, unless the user is already deleted, and
-- records the delivery, in one statement.
-- Returns 'applied' or 'stale'; no row when this svix-id is already in audit_log.
WITH effect AS (
    INSERT INTO users AS u (id, deleted_at, last_event_at, last_event_id)
    SELECT :#subjectId, CAST(:#lastEventAt AS timestamptz), CAST(:#lastEventAt AS timestamptz), :#eventId
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
)
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
VALUES (:#eventId, :#eventType, :#subjectId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
        CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END, CAST(:#payload AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome
