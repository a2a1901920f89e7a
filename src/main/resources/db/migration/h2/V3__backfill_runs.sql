-- The embedded twin of db/migration/postgresql/V3__backfill_runs.sql.
CREATE TABLE backfill_runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status      VARCHAR NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    options     VARCHAR NOT NULL,
    checkpoint  VARCHAR NOT NULL
);

CREATE TABLE backfill_seen (
    run_id VARCHAR NOT NULL,
    kind   VARCHAR NOT NULL,
    id     VARCHAR NOT NULL,
    PRIMARY KEY (run_id, kind, id)
);
