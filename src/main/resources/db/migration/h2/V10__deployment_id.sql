-- The embedded twin of db/migration/postgresql/V10__deployment_id.sql (numbered alike: H2 has no
-- V6, V7 or V9, and a lower version than the last applied one would be refused by Flyway).
CREATE TABLE clerk_sync_deployment (
    one_row       BOOLEAN DEFAULT TRUE PRIMARY KEY CHECK (one_row),
    deployment_id VARCHAR NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
