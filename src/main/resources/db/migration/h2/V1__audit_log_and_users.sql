-- The embedded twin of db/migration/postgresql: the same tables in H2's types.
CREATE TABLE audit_log (
    event_id    VARCHAR PRIMARY KEY,
    event_type  VARCHAR NOT NULL,
    subject_id  VARCHAR,
    event_at    TIMESTAMP WITH TIME ZONE,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome     VARCHAR NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
    payload     JSON NOT NULL
);
CREATE INDEX audit_log_subject_id ON audit_log (subject_id);
CREATE INDEX audit_log_received_at ON audit_log (received_at);

CREATE TABLE users (
    id            VARCHAR PRIMARY KEY,
    email         VARCHAR,
    phone_number  VARCHAR,
    first_name    VARCHAR,
    last_name     VARCHAR,
    username      VARCHAR,
    image_url     VARCHAR,
    created_at    TIMESTAMP WITH TIME ZONE,
    updated_at    TIMESTAMP WITH TIME ZONE,
    deleted_at    TIMESTAMP WITH TIME ZONE,
    last_event_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_event_id VARCHAR NOT NULL,
    data          JSON
);
CREATE INDEX users_email ON users (email);
