-- Group commit (RelationalDecider): before a batch of deliveries is decided in one transaction, it
-- takes every lock its statements will take (the owners' locks of db/migration V2, and one per
-- svix-id), all at once and in one order, the order of the keys. Two batches, of two replicas, that
-- touch the same users, organizations or svix-ids in different orders then wait for each other
-- instead of deadlocking; each statement's own lock is then already held.
SELECT count(pg_advisory_xact_lock(sorted.key)) AS "locked"
FROM (SELECT DISTINCT hashtextextended(owner, 0) AS key
      FROM unnest(CAST(:#owners AS text[])) AS owner
      ORDER BY key) AS sorted
