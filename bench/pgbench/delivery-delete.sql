-- The SQL of one user.deleted delivery, for pgbench: the statement of
-- src/main/resources/sql/postgresql/delete-user.sql with the values the service would bind.
\set uid random(1, 20000)
\set eid random(1, 9000000000000000000)
WITH input AS (
    SELECT 'user_pgbench' || :uid AS subject_id, 'pgbench_' || :eid AS event_id, clock_timestamp() AS clock
), effect AS (
    INSERT INTO users AS u (id, deleted_at, last_event_at, last_event_id)
    SELECT subject_id, clock, clock, event_id
    FROM input
    WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE audit_log.event_id = input.event_id)
    ON CONFLICT (id) DO UPDATE SET
        email = NULL,
        phone_number = NULL,
        first_name = NULL,
        last_name = NULL,
        username = NULL,
        image_url = NULL,
        created_at = NULL,
        updated_at = NULL,
        data = NULL,
        deleted_at = EXCLUDED.deleted_at,
        last_event_at = EXCLUDED.last_event_at,
        last_event_id = EXCLUDED.last_event_id
    WHERE u.deleted_at IS NULL
    RETURNING 1
)
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
SELECT event_id, 'user.deleted', subject_id, clock, clock,
       CASE WHEN EXISTS (SELECT 1 FROM effect) THEN 'applied' ELSE 'stale' END,
       CAST('{"object": "event", "type": "user.deleted", "data": {"object": "user", "id": "' || subject_id
            || '", "deleted": true}}' AS jsonb)
FROM input
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome;
