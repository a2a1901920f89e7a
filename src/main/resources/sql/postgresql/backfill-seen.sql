-- An id a backfill run has seen (for --reconcile); seeing it twice (a page read again) is no error.
INSERT INTO backfill_seen (run_id, kind, id) VALUES (:#run, :#kind, :#id) ON CONFLICT DO NOTHING
