-- Heavy deletions never stall the pipeline (docs/design.md, decision 16). A deletion whose cascade
-- (the memberships of an organization or a user) or whose erasure (a user's audit entries) holds
-- more rows than clerk_sync.cascade_limit (set by begin-batch.sql for the decider's transaction)
-- does not do it in the deciding transaction: it records the work here, in that transaction, and
-- the service continues it in bounded chunks after the answer (CascadeWork), on one replica at a
-- time per row (FOR UPDATE SKIP LOCKED), after a crash too. Meanwhile every guard already reads the
-- owner as deleted: a membership of a deleted organization or user is stale, an entry about a
-- deleted user is stored erased.
CREATE TABLE cascade_work (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('memberships', 'erasure')),
    owner_kind  text NOT NULL CHECK (owner_kind IN ('user', 'organization')),
    owner_id    text NOT NULL,
    deleted_at  timestamptz NOT NULL,
    -- the deletion's svix-id: the memberships' tombstones carry it, its own audit entry stays as it is
    event_id    text NOT NULL,
    -- the last key done, in key order (membership id, audit event_id); '' before the first chunk
    done_through text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX cascade_work_pending ON cascade_work (id) WHERE finished_at IS NULL;
CREATE INDEX cascade_work_event ON cascade_work (event_id);

-- The chunks walk each owner's rows in key order from where the last one stopped.
CREATE INDEX audit_log_user_event ON audit_log (user_id, event_id);
CREATE INDEX organization_memberships_organization_id_id ON organization_memberships (organization_id, id);
CREATE INDEX organization_memberships_user_id_id ON organization_memberships (user_id, id);

-- clerk_sync_cascade of V2, bounded: with more live memberships (or, for a user, more entries not yet
-- erased) than the limit, the work is recorded for later instead of done now — all of it, so that
-- what the follower (MongoDB) is told the cascade deleted here is exactly what it did.
CREATE OR REPLACE FUNCTION clerk_sync_cascade(p_kind text, p_id text, p_deleted_at timestamptz, p_event_id text)
    RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    changed integer := 0;
    bound integer := coalesce(nullif(current_setting('clerk_sync.cascade_limit', true), '')::integer, 1000);
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_id, 0));
    IF (SELECT count(*) FROM (SELECT 1 FROM organization_memberships m
                              WHERE m.deleted_at IS NULL
                                AND ((p_kind = 'user' AND m.user_id = p_id)
                                     OR (p_kind = 'organization' AND m.organization_id = p_id))
                              LIMIT bound + 1) AS live) > bound THEN
        INSERT INTO cascade_work (kind, owner_kind, owner_id, deleted_at, event_id)
        VALUES ('memberships', p_kind, p_id, p_deleted_at, p_event_id);
    ELSE
        UPDATE organization_memberships m SET
            role = NULL, created_at = NULL, updated_at = NULL, data = NULL,
            deleted_at = p_deleted_at, last_event_at = p_deleted_at, last_event_id = p_event_id
        WHERE m.deleted_at IS NULL
          AND ((p_kind = 'user' AND m.user_id = p_id) OR (p_kind = 'organization' AND m.organization_id = p_id));
        GET DIAGNOSTICS changed = ROW_COUNT;
    END IF;
    IF p_kind = 'user' THEN
        IF (SELECT count(*) FROM (SELECT 1 FROM audit_log a
                                  WHERE a.user_id = p_id AND a.event_id <> p_event_id
                                    AND a.payload <> '{"erased": true}'
                                  LIMIT bound + 1) AS kept) > bound THEN
            INSERT INTO cascade_work (kind, owner_kind, owner_id, deleted_at, event_id)
            VALUES ('erasure', p_kind, p_id, p_deleted_at, p_event_id);
        ELSE
            UPDATE audit_log a SET payload = '{"erased": true}'
            WHERE a.user_id = p_id AND a.event_id <> p_event_id AND a.payload <> '{"erased": true}';
        END IF;
    END IF;
    RETURN changed;
END $$;
