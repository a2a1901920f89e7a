-- The oldest cascade left for later that no other replica is continuing now: its row stays locked
-- until this chunk's transaction ends.
SELECT id AS "id", kind AS "kind", owner_kind AS "owner_kind", owner_id AS "owner_id",
       deleted_at AS "deleted_at", event_id AS "event_id", done_through AS "done_through"
FROM cascade_work
WHERE finished_at IS NULL
ORDER BY id
LIMIT 1
FOR UPDATE SKIP LOCKED
