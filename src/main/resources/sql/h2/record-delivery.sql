-- The embedded database's audit insert, for one delivery at a time (RelationalDecider), where
-- PostgreSQL's action statements write theirs themselves: the audit entry of the delivery its
-- action statement (upsert-user.sql, delete-user.sql, audit-only.sql, …) has just decided, with
-- the outcome and erasure that statement returned. A delivery of the same svix-id deciding at the same moment in another transaction makes
-- this insert fail on audit_log's key (SQLState 23505): the transaction is rolled back, the action's
-- effect with it, and the delivery reads the outcome the other one recorded.
-- Returns the svix-id, the outcome, and whether the payload was erased.
SELECT event_id AS "event_id", outcome AS "outcome", payload = JSON '{"erased":true}' AS "erased" FROM FINAL TABLE (
    INSERT INTO audit_log (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
    VALUES (:#eventId, :#eventType, :#subjectId, :#userId, CAST(:#eventAt AS TIMESTAMP WITH TIME ZONE),
            CAST(:#receivedAt AS TIMESTAMP WITH TIME ZONE), :#outcome,
            CASE WHEN CAST(:#erased AS BOOLEAN) THEN JSON '{"erased":true}' ELSE :#payload FORMAT JSON END)
)
