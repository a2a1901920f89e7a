-- H2ChangeEventTrigger: the change event of a row really inserted or updated, written to the outbox
-- in the statement's transaction (the twin of PostgreSQL's clerk_sync_write_change_event).
INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, changed, data, traceparent)
VALUES (:#id, :#type, :#subject, :#seq, :#occurredAt, :#sourceEventId, :#changed FORMAT JSON, :#data FORMAT JSON, :#traceparent)
