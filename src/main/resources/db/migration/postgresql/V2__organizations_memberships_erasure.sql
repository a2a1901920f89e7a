-- Organizations and memberships (contract §3), and what erasure needs. No foreign keys: a membership
-- may arrive before its organization or its user.
CREATE TABLE organizations (
    id            text PRIMARY KEY,
    name          text,
    slug          text,
    image_url     text,
    created_by    text,
    created_at    timestamptz,
    updated_at    timestamptz,
    deleted_at    timestamptz,
    last_event_at timestamptz NOT NULL,
    last_event_id text NOT NULL,
    data          jsonb
);

-- organization_id and user_id stay on a tombstone: the cascades find memberships by them.
CREATE TABLE organization_memberships (
    id              text PRIMARY KEY,
    organization_id text,
    user_id         text,
    role            text,
    created_at      timestamptz,
    updated_at      timestamptz,
    deleted_at      timestamptz,
    last_event_at   timestamptz NOT NULL,
    last_event_id   text NOT NULL,
    data            jsonb
);
CREATE INDEX organization_memberships_organization_id ON organization_memberships (organization_id);
CREATE INDEX organization_memberships_user_id ON organization_memberships (user_id);

-- The user an audit entry is about: erasure finds a deleted user's entries by it.
ALTER TABLE audit_log ADD COLUMN user_id text;
CREATE INDEX audit_log_user_id ON audit_log (user_id);

-- Why functions: a delivery is one statement, and in READ COMMITTED one statement reads one snapshot,
-- taken when it starts. A lock taken inside the statement does not renew that snapshot, so "is the
-- user deleted?" (a session event) and "erase the user's entries" (user.deleted) could each miss the
-- other's uncommitted write. A VOLATILE function reads a fresh snapshot for every query it runs: after
-- it has taken the owner's transaction lock, it sees everything the previous holder committed.

-- Takes the transaction lock of a user or organization (p_kind 'user' or 'organization') and answers
-- whether it is deleted now. A null id takes no lock and is never deleted.
CREATE FUNCTION clerk_sync_owner_deleted(p_kind text, p_id text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF p_id IS NULL THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_id, 0));
    IF p_kind = 'user' THEN
        RETURN EXISTS (SELECT 1 FROM users WHERE id = p_id AND deleted_at IS NOT NULL);
    END IF;
    RETURN EXISTS (SELECT 1 FROM organizations WHERE id = p_id AND deleted_at IS NOT NULL);
END $$;

-- The cascade of a deleted user or organization, under its lock: every live membership of it is
-- deleted as if its own .deleted had come with this clock and svix-id; for a user, every audit entry
-- about it but this delivery's keeps ids, type, times and outcome, and its payload is erased.
CREATE FUNCTION clerk_sync_cascade(p_kind text, p_id text, p_deleted_at timestamptz, p_event_id text)
    RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    changed integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_id, 0));
    UPDATE organization_memberships m SET
        role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
        deleted_at = p_deleted_at, last_event_at = p_deleted_at, last_event_id = p_event_id
    WHERE m.deleted_at IS NULL
      AND ((p_kind = 'user' AND m.user_id = p_id) OR (p_kind = 'organization' AND m.organization_id = p_id));
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF p_kind = 'user' THEN
        UPDATE audit_log a SET payload = '{"erased": true}'
        WHERE a.user_id = p_id AND a.event_id <> p_event_id AND a.payload <> '{"erased": true}';
    END IF;
    RETURN changed;
END $$;
