-- Change events (contract §9, docs/change-events.md): a transactional outbox.
--
-- Every applied change of a user, organization or membership bumps the record's change_seq and
-- writes one row to change_events in the same transaction. Triggers do it, so that each path that
-- applies a change (the action statements in sql/postgresql, the cascades of clerk_sync_cascade,
-- the backfill's pages) writes its event without repeating the outbox insert in every statement:
-- the guarded upserts only touch a row when the change applies, so a duplicate, stale or ignored
-- delivery touches none and writes no event. The record's row lock (taken by the upsert) orders
-- the changes of one record: seq is 1, 2, 3… with no gap, and a later seq always gets a higher
-- position than an earlier one.

-- 0 for records stored before this migration: their first change from now on is seq 1.
ALTER TABLE users ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE organization_memberships ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE change_events (
    position        bigserial PRIMARY KEY,          -- global order of writing: the relay's order
    id              uuid NOT NULL UNIQUE,           -- the event's id: a consumer dedupes by it
    type            text NOT NULL,                  -- user.changed, organizationMembership.deleted, ...
    subject         text NOT NULL,                  -- the record's Clerk id
    seq             bigint NOT NULL,                -- per subject, 1, 2, 3…
    occurred_at     timestamptz NOT NULL,           -- the change's clock (the record's last_event_at)
    source_event_id text,                           -- the svix-id or backfill id that made it
    data            jsonb NOT NULL,                 -- the record as stored after the change (§3 columns)
    written_at      timestamptz NOT NULL DEFAULT now(), -- for the metrics' age of the oldest pending event
    published_at    timestamptz,                    -- null: waiting for the relay
    attempts        integer NOT NULL DEFAULT 0,     -- refusals by a destination
    parked_at       timestamptz,                    -- refused too often: this subject waits for an operator
    UNIQUE (subject, seq)
);
-- What the relay reads at each poll, and the metrics' pending count: small once published.
CREATE INDEX change_events_pending ON change_events (position) WHERE published_at IS NULL;
CREATE INDEX change_events_parked ON change_events (subject) WHERE parked_at IS NOT NULL;

-- BEFORE: the row about to be written carries its next seq. On INSERT … ON CONFLICT DO UPDATE
-- PostgreSQL runs the BEFORE INSERT trigger on the proposed row and then BEFORE UPDATE on the
-- update, so the conflicting path still counts from the stored row.
CREATE FUNCTION clerk_sync_next_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE OLD.change_seq + 1 END;
    RETURN NEW;
END
$$;

-- AFTER: fires only for a row really inserted or updated (not for the proposed row of an insert
-- that turned into an update, nor for an update whose guard said no). Times in data are
-- ISO-8601 in UTC: the function runs with the session time zone set to UTC.
CREATE FUNCTION clerk_sync_write_change_event() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $$
BEGIN
    INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, data)
    VALUES (gen_random_uuid(),
            TG_ARGV[0] || CASE WHEN NEW.deleted_at IS NULL THEN '.changed' ELSE '.deleted' END,
            NEW.id, NEW.change_seq, NEW.last_event_at, NEW.last_event_id,
            to_jsonb(NEW) - 'change_seq');
    RETURN NULL;
END
$$;

CREATE TRIGGER users_change_seq BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER users_change_event AFTER INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('user');
CREATE TRIGGER organizations_change_seq BEFORE INSERT OR UPDATE ON organizations
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER organizations_change_event AFTER INSERT OR UPDATE ON organizations
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('organization');
CREATE TRIGGER organization_memberships_change_seq BEFORE INSERT OR UPDATE ON organization_memberships
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_next_change_seq();
CREATE TRIGGER organization_memberships_change_event AFTER INSERT OR UPDATE ON organization_memberships
    FOR EACH ROW EXECUTE FUNCTION clerk_sync_write_change_event('organizationMembership');
