-- The first statement of each transaction of the decider (RelationalDecider: a batch of webhook
-- deliveries, or a backfill page). It
-- 1. takes every lock the deliveries need, all at once and in one order, the order of the keys: the
--    owners' locks of db/migration V2 ('user:<id>', 'organization:<id>') and one per svix-id
--    ('event:<id>'). Two batches, of two replicas, that touch the same records in different orders
--    then wait for each other instead of deadlocking. And since it returns only once it holds them,
--    the statements after it read a snapshot that holds everything the locks' previous holders
--    committed: they can ask "is this user deleted?" with plain SQL, for a whole round at once;
-- 2. says whether this transaction writes change events (db/migration V6): only a service that
--    publishes them does. For this transaction, not the session: behind PgBouncer in transaction
--    mode the next transaction may run on another server connection, which never heard it
--    (docs/scaling.md);
-- 3. says how many memberships or audit entries a deletion's cascade may change in this transaction
--    before it leaves them to the chunks that follow the answer (db/migration V9);
-- 4. hands the change event trigger each traced delivery's traceparent, a JSON object by svix-id
--    (db/migration V12; empty when not traced), for this transaction too;
-- 5. has PostgreSQL plan each action statement for the arrays it gets (a custom plan), every time:
--    a round's statement is planned once for all its deliveries, and a plan made for the row counts
--    at hand never keeps the sequential scans that a generic plan, made while the tables were
--    small, kept long after they had grown (bench/RESULTS.md, "Set-based rounds").
SELECT count(pg_advisory_xact_lock(sorted.key)) AS "locked",
       set_config('clerk_sync.change_events', :#changeEvents, true) AS "change_events",
       set_config('clerk_sync.cascade_limit', :#cascadeLimit, true) AS "cascade_limit",
       set_config('clerk_sync.traceparents', :#traceparents, true) AS "traceparents",
       set_config('plan_cache_mode', 'force_custom_plan', true) AS "plan_cache_mode"
FROM (SELECT DISTINCT hashtextextended(owner, 0) AS key
      FROM unnest(CAST(:#owners AS text[])) AS owner
      ORDER BY key) AS sorted
