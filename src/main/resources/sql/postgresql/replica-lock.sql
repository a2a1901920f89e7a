-- A replica lease (dev.clerksync.store.relational.ReplicaLease), run on its own connection outside
-- the pool: takes the session advisory lock that lets one replica do a task (relay change events,
-- run the scheduled reconcile), if nobody holds it. It is released when that connection ends.
SELECT pg_try_advisory_lock(:#lockKey) AS locked
