-- A record's deliveries, for its page: the audit entries whose subject or user is :about, newest
-- first, at most :count. Apart from deliveries.sql so that no optional condition is in the way of
-- its plan: once PostgreSQL plans a prepared statement generically, an "(:x IS NULL OR …)" it
-- cannot see through would walk the whole (received_at, event_id) index for a rare record instead
-- of reading the subject_id and user_id indexes. The same SQL for every dialect.
SELECT event_id, event_type, subject_id, user_id, event_at, received_at, outcome
FROM audit_log
WHERE subject_id = :about OR user_id = :about
ORDER BY received_at DESC, event_id DESC
LIMIT :count
