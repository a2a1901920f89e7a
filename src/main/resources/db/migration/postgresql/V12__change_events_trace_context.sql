-- Change events carry the trace context of the delivery that made them (docs/operations.md
-- "Traces"), so that the relay, polling later and maybe on another replica, publishes each one in
-- that delivery's trace, with its W3C traceparent in the brokers' headers.
--
-- One transaction decides a batch of deliveries, and one statement many of them (group commit), so
-- a setting per transaction cannot name the delivery: the decider hands the trigger a JSON object
-- of each traced delivery's svix-id and traceparent (clerk_sync.traceparents, set by
-- sql/postgresql/begin-batch.sql), and the trigger takes the one of the event's source, the svix-id
-- that changed the row. Not traced (the default), the setting is empty and the column stays null.

ALTER TABLE change_events ADD COLUMN traceparent text; -- W3C traceparent of the delivery's span; null: not traced

-- Billing records have no deleted_at: the event type reads it from the row as JSON, as V11 does.
CREATE OR REPLACE FUNCTION clerk_sync_write_change_event() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    after jsonb;
BEGIN
    IF current_setting('clerk_sync.change_events', true) IS DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    after := to_jsonb(NEW) - 'change_seq';
    INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, changed, data, traceparent)
    VALUES (gen_random_uuid(),
            TG_ARGV[0] || CASE WHEN after ->> 'deleted_at' IS NULL THEN '.changed' ELSE '.deleted' END,
            NEW.id, NEW.change_seq, NEW.last_event_at, NEW.last_event_id,
            clerk_sync_changed_columns(CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END, after),
            after,
            CAST(NULLIF(current_setting('clerk_sync.traceparents', true), '') AS jsonb) ->> NEW.last_event_id);
    RETURN NULL;
END
$$;
