-- A chunk's memberships, deleted as their own .deleted would have: the deletion's clock and svix-id.
UPDATE organization_memberships SET
    role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
    deleted_at = CAST(:#deletedAt AS timestamptz), last_event_at = CAST(:#deletedAt AS timestamptz), last_event_id = :#eventId
WHERE id = ANY (CAST(:#ids AS text[])) AND deleted_at IS NULL
