-- Which deployment's history this database holds (issue 26, docs/resync.md): a random id written at
-- the first start, which the document store copies. A start that finds the two stores holding
-- different histories refuses instead of mixing them. One row, forever: one_row can only be true.
CREATE TABLE clerk_sync_deployment (
    one_row       boolean PRIMARY KEY DEFAULT true CHECK (one_row),
    deployment_id text NOT NULL,
    created_at    timestamptz NOT NULL
);
