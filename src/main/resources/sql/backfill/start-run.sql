-- A run starts: its row, with the first checkpoint (--resume continues from the last one).
INSERT INTO backfill_runs (run_id, started_at, status, options, checkpoint)
VALUES (:#run, :#startedAt, 'running', :#options, :#checkpoint)
