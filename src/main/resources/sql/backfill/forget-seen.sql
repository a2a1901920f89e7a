-- A finished run's seen ids are no longer needed.
DELETE FROM backfill_seen WHERE run_id = :#run
