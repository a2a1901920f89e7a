-- The embedded twin of db/migration/postgresql/V12: change events carry the W3C traceparent of the
-- delivery that made them. H2ChangeEventTrigger takes it from the session variable
-- @clerk_sync_traceparents (sql/h2/change-event-traceparents.sql). Null: not traced.
ALTER TABLE change_events ADD COLUMN traceparent VARCHAR;
