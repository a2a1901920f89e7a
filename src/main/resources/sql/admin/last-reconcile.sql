-- The newest reconcile pass that ended, done or failed (scheduled or run by hand; a dry run leaves
-- no row), with the checkpoint that holds its drift report. One still running has only part of it.
SELECT run_id, started_at, finished_at, status, checkpoint FROM backfill_runs
WHERE options LIKE '%reconcile%' AND status <> 'running' ORDER BY started_at DESC LIMIT 1
