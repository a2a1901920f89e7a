-- The relay lease (dev.clerksync.changes.RelayLease), run on its own connection outside the pool:
-- takes the session advisory lock that lets one replica relay change events, if nobody holds it.
-- It is released when that connection ends.
SELECT pg_try_advisory_lock(:#lockKey) AS locked
