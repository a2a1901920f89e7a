-- --resume: the last run that did not finish.
SELECT run_id, started_at, checkpoint FROM backfill_runs WHERE status <> 'done' ORDER BY started_at DESC LIMIT 1
