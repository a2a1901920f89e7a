-- organizationMembership.deleted: final, as delete-user.sql is for a user, clocked by the envelope
-- timestamp (the event's updated_at is the membership's last change, not its deletion). The
-- tombstone keeps organization_id and user_id. An event of a deleted user is recorded erased.
-- Returns 'applied' or 'stale' and whether the payload was erased; no row when this svix-id is
-- already in audit_log.
WITH gate AS MATERIALIZED (
    SELECT clerk_sync_owner_deleted('user', :#userId) AS user_deleted
), effect AS (
    INSERT INTO organization_memberships AS m (id, organization_id, user_id, deleted_at, last_event_at, last_event_id)
    SELECT :#subjectId, :#organizationId, :#userId, CAST(:#lastEventAt AS timestamptz),
           CAST(:#lastEventAt AS timestamptz), :#eventId
    FROM gate
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
    ON CONFLICT (id) DO UPDATE SET
        role = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE m.deleted_at IS NULL
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
       CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE CAST(:#payload AS jsonb) END
FROM gate
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, payload = '{"erased": true}' AS erased
