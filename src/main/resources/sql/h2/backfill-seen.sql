-- The embedded twin of sql/postgresql/backfill-seen.sql.
MERGE INTO backfill_seen KEY (run_id, kind, id) VALUES (:#run, :#kind, :#id)
