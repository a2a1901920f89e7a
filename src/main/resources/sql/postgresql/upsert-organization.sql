-- organization.created / organization.updated: the rules of upsert-user.sql for an organization.
-- Returns 'applied' or 'stale' and erased (always false: no user); no row when this svix-id is
-- already in audit_log.
WITH effect AS (
    INSERT INTO organizations AS o (id, name, slug, image_url, created_by, created_at, updated_at,
                                    last_event_at, last_event_id, data)
    SELECT :#subjectId, :#name, :#slug, :#imageUrl, :#createdBy, CAST(:#createdAt AS timestamptz),
           CAST(:#updatedAt AS timestamptz), CAST(:#lastEventAt AS timestamptz), :#eventId, CAST(:#data AS jsonb)
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        slug = EXCLUDED.slug,
        image_url = EXCLUDED.image_url,
        created_by = EXCLUDED.created_by,
        created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id,
        data = EXCLUDED.data
    WHERE o.last_event_at < EXCLUDED.last_event_at AND o.deleted_at IS NULL
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
VALUES (:#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
        CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END, CAST(:#payload AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome, false AS erased
