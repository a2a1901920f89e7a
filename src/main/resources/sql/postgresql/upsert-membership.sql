-- organizationMembership.created / .updated: the rules of upsert-user.sql for a membership, and
-- stale when its organization or its user is deleted: no live membership of a deleted organization
-- or user ever exists. The gate takes the user's lock, then the organization's (always in that
-- order), and reads whether each is deleted after it holds them (db/migration V2): a cascade
-- deciding at the same moment either sees this membership or is seen by it.
-- Returns 'applied' or 'stale' and whether the payload was erased; no row when this svix-id is
-- already in audit_log.
WITH gate AS MATERIALIZED (
    SELECT clerk_sync_owner_deleted('user', :#userId) AS user_deleted,
           clerk_sync_owner_deleted('organization', :#organizationId) AS organization_deleted
), effect AS (
    INSERT INTO organization_memberships AS m (id, organization_id, user_id, role, created_at, updated_at,
                                               last_event_at, last_event_id, data)
    SELECT :#subjectId, :#organizationId, :#userId, :#role, CAST(:#createdAt AS timestamptz),
           CAST(:#updatedAt AS timestamptz), CAST(:#lastEventAt AS timestamptz), :#eventId, CAST(:#data AS jsonb)
    FROM gate
    WHERE NOT user_deleted AND NOT organization_deleted
      AND NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
    ON CONFLICT (id) DO UPDATE SET
        organization_id = EXCLUDED.organization_id,
        user_id = EXCLUDED.user_id,
        role = EXCLUDED.role,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE m.last_event_at < EXCLUDED.last_event_at AND m.deleted_at IS NULL
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT :#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
       CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END,
       CASE WHEN user_deleted THEN '{"erased": true}' ELSE CAST(:#payload AS jsonb) END
FROM gate
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, payload = '{"erased": true}' AS erased
