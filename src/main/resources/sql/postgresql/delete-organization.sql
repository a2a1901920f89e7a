-- organization.deleted: final, as delete-user.sql is for a user. The cascade (clerk_sync_cascade,
-- db/migration V2, under the organization's lock) deletes every live membership of the
-- organization with this event's clock and svix-id.
-- Returns 'applied' or 'stale' and erased (always false: no user); no row when this svix-id is
-- already in audit_log.
WITH effect AS (
    INSERT INTO organizations AS o (id, deleted_at, last_event_at, last_event_id)
    SELECT :#subjectId, CAST(:#lastEventAt AS timestamptz), CAST(:#lastEventAt AS timestamptz), :#eventId
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
    ON CONFLICT (id) DO UPDATE SET
        name = NULL,
        slug = NULL,
        image_url = NULL,
        created_by = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE o.deleted_at IS NULL
    RETURNING 1
), cascade AS MATERIALIZED (
    SELECT clerk_sync_cascade('organization', :#subjectId, CAST(:#lastEventAt AS timestamptz), :#eventId) FROM effect
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
VALUES (:#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
        CASE WHEN EXISTS (SELECT 1 FROM cascade) THEN 'applied' ELSE 'stale' END, CAST(:#payload AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, false AS erased
