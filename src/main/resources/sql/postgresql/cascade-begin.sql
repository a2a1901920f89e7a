-- The first statement of a chunk's transaction (CascadeWork): change events for the memberships it
-- deletes when this service publishes them, and plans for the owner at hand, as begin-batch.sql
-- says for the decider's transactions.
SELECT set_config('clerk_sync.change_events', :#changeEvents, true) AS "change_events",
       set_config('plan_cache_mode', 'force_custom_plan', true) AS "plan_cache_mode"
