-- The newest backfill run, without its checkpoint (internal bookkeeping).
SELECT run_id, started_at, finished_at, status, options FROM backfill_runs ORDER BY started_at DESC LIMIT 1
