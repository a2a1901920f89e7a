-- H2ChangeEventTrigger, on the connection of the statement that fired it: whether this connection
-- belongs to a service that publishes change events (sql/h2/change-events-on.sql), and the trace
-- context of each delivery in the transaction (sql/h2/change-event-traceparents.sql; null when not traced).
SELECT @clerk_sync_change_events AS publishing, @clerk_sync_traceparents AS traceparents
