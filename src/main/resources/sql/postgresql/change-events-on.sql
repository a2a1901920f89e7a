-- Change events are written only by a service that publishes them (db/migration V6): the decider
-- says so at the start of each of its transactions, for that transaction only. A session setting
-- would not do: behind PgBouncer in transaction mode the next transaction may run on another
-- server connection, which never heard it (docs/scaling.md).
SELECT set_config('clerk_sync.change_events', 'on', true) AS "on"
