-- RelationalDecider, first in each transaction of a traced service that publishes change events: a
-- JSON object of each traced delivery's svix-id and its W3C traceparent, which H2ChangeEventTrigger
-- stores with the events the delivery makes (the twin of PostgreSQL's clerk_sync.traceparents).
-- A session variable: set again for every transaction, so that none reads another's.
SET @clerk_sync_traceparents = :#traceparents
