-- After every page: where --resume would continue.
UPDATE backfill_runs SET checkpoint = :#checkpoint, status = 'running' WHERE run_id = :#run
