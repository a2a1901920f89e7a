-- The scheduled reconcile: when the last reconcile pass started (scheduled or run by hand, finished
-- or not), so that a pass is due RECONCILE_EVERY after it, whichever replica ran it.
SELECT max(started_at) FROM backfill_runs WHERE options LIKE '%reconcile%'
