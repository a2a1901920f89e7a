-- H2ChangeEventTrigger, on the connection of the statement that fired it: whether this connection
-- belongs to a service that publishes change events (sql/h2/change-events-on.sql).
SELECT @clerk_sync_change_events AS publishing
