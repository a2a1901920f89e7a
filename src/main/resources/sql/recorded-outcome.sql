-- The outcome this svix-id was given when it was decided (the same SQL for every dialect), and
-- whether its payload is erased now: its user is deleted, by another delivery than this one.
SELECT a.outcome AS "outcome",
       EXISTS (SELECT 1 FROM users u
               WHERE u.id = a.user_id AND u.deleted_at IS NOT NULL AND u.last_event_id <> a.event_id) AS "erased"
FROM audit_log a WHERE a.event_id = :#eventId
