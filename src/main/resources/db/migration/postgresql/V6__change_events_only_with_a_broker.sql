-- Change events are written only by a service that publishes them: its connections say so with
-- the session setting clerk_sync.change_events = 'on' (SqlStore, when RABBITMQ_URI or
-- KAFKA_BOOTSTRAP_SERVERS is set). Without a broker the outbox would only grow, and writing a copy
-- of every changed row cost a quarter of PostgreSQL's throughput (measured with pgbench on
-- upsert-user.sql: 4,150 against 3,300 statements/s). change_seq still counts every change, so a
-- broker added later continues each record's sequence.
CREATE OR REPLACE FUNCTION clerk_sync_write_change_event() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $$
BEGIN
    IF current_setting('clerk_sync.change_events', true) IS DISTINCT FROM 'on' THEN
        RETURN NULL;
    END IF;
    INSERT INTO change_events (id, type, subject, seq, occurred_at, source_event_id, data)
    VALUES (gen_random_uuid(),
            TG_ARGV[0] || CASE WHEN NEW.deleted_at IS NULL THEN '.changed' ELSE '.deleted' END,
            NEW.id, NEW.change_seq, NEW.last_event_at, NEW.last_event_id,
            to_jsonb(NEW) - 'change_seq');
    RETURN NULL;
END
$$;
