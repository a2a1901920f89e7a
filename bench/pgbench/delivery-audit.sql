-- The SQL of one delivery of a type without a sync (session.created), for pgbench: the statement
-- of src/main/resources/sql/postgresql/audit-only.sql with a session event of the stream's size.
\set eid random(1, 9000000000000000000)
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
VALUES ('pgbench_' || :eid, 'session.created', 'sess_pgbench', clock_timestamp(), clock_timestamp(), 'ignored',
        CAST('{"object": "event", "type": "session.created", "instance_id": "ins_2XQbVbC0hc75v1QJ2NQr8RUdfRK", "timestamp": 1795469924308, "event_attributes": {"http_request": {"client_ip": "203.0.113.17", "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36"}}, "data": {"object": "session", "id": "sess_pgbench", "user_id": "user_pgbench1", "client_id": "client_pgbench", "status": "active", "actor": null, "last_active_at": 1795469924308, "expire_at": 1796074724308, "abandon_at": 1798061924308, "created_at": 1795469924308, "updated_at": 1795469924308}}' AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome;
