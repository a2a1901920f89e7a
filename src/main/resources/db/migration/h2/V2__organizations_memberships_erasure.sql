-- The embedded twin of db/migration/postgresql/V2: the same tables in H2's types. H2 has no
-- functions in SQL: its statements serialize an owner's deletion with the owner's other deliveries
-- on a lock row instead (clerk_sync_owner_locks, below; see sql/h2/).
CREATE TABLE organizations (
    id            VARCHAR PRIMARY KEY,
    name          VARCHAR,
    slug          VARCHAR,
    image_url     VARCHAR,
    created_by    VARCHAR,
    created_at    TIMESTAMP WITH TIME ZONE,
    updated_at    TIMESTAMP WITH TIME ZONE,
    deleted_at    TIMESTAMP WITH TIME ZONE,
    last_event_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id VARCHAR NOT NULL,
    data          JSON
);

CREATE TABLE organization_memberships (
    id              VARCHAR PRIMARY KEY,
    organization_id VARCHAR,
    user_id         VARCHAR,
    role            VARCHAR,
    created_at      TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE,
    deleted_at      TIMESTAMP WITH TIME ZONE,
    last_event_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id   VARCHAR NOT NULL,
    data            JSON
);
CREATE INDEX organization_memberships_organization_id ON organization_memberships (organization_id);
CREATE INDEX organization_memberships_user_id ON organization_memberships (user_id);

ALTER TABLE audit_log ADD COLUMN user_id VARCHAR;
CREATE INDEX audit_log_user_id ON audit_log (user_id);

-- One row per user ('user:<id>') or organization ('organization:<id>') whose deliveries must not
-- interleave: a statement that reads or cascades the owner's deletion first updates its row here,
-- and so holds that row's lock until it commits; the next one waits, then reads what it committed.
CREATE TABLE clerk_sync_owner_locks (
    owner VARCHAR PRIMARY KEY
);
