-- One row per verified delivery (contract §3); event_id is the svix-id, the idempotency key.
CREATE TABLE audit_log (
    event_id    text PRIMARY KEY,
    event_type  text NOT NULL,
    subject_id  text,
    event_at    timestamptz,
    received_at timestamptz NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
    payload     jsonb NOT NULL
);
CREATE INDEX audit_log_subject_id ON audit_log (subject_id);
CREATE INDEX audit_log_received_at ON audit_log (received_at);

-- One row per Clerk user id (contract §3). last_event_at is the ordering clock of the last event
-- applied; last_event_id the svix-id that applied it. A deleted user keeps only id, deleted_at,
-- last_event_at and last_event_id.
CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text,
    phone_number  text,
    first_name    text,
    last_name     text,
    username      text,
    image_url     text,
    created_at    timestamptz,
    updated_at    timestamptz,
    deleted_at    timestamptz,
    last_event_at timestamptz NOT NULL,
    last_event_id text NOT NULL,
    data          jsonb
);
CREATE INDEX users_email ON users (email);
