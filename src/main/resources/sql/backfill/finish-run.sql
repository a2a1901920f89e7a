-- A run ends, done or failed.
UPDATE backfill_runs SET status = :#status, checkpoint = :#checkpoint, finished_at = :#finishedAt WHERE run_id = :#run
