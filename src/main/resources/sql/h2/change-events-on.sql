-- Run on each pooled connection of a service that publishes change events (SqlStore): the change
-- event trigger (H2ChangeEventTrigger) writes the outbox only where this session variable is 'on'.
SET @clerk_sync_change_events = 'on'
