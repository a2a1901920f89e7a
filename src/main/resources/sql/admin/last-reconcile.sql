-- The newest reconcile pass (scheduled or run by hand; a dry run leaves no row), with the checkpoint
-- that holds its drift report.
SELECT run_id, started_at, finished_at, status, checkpoint FROM backfill_runs
WHERE options LIKE '%reconcile%' ORDER BY started_at DESC LIMIT 1
