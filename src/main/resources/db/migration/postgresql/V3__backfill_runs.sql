-- Backfill runs (README "Backfill"). A run's checkpoint is written in the same transaction as each
-- page it applies, so --resume continues exactly after the last page that the stores hold.
CREATE TABLE backfill_runs (
    run_id      text PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    status      text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    options     text NOT NULL,
    checkpoint  text NOT NULL
);

-- The ids a run has seen, for --reconcile: a live stored record that the pass did not see is a
-- candidate for deletion (confirmed one by one with Clerk). Dropped when the run is done.
CREATE TABLE backfill_seen (
    run_id text NOT NULL,
    kind   text NOT NULL,
    id     text NOT NULL,
    PRIMARY KEY (run_id, kind, id)
);
