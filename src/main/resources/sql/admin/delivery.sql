-- One audit entry with its payload, for the admin view's delivery page.
SELECT event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload
FROM audit_log
WHERE event_id = :eventId
