-- The outcome this svix-id was given when it was decided (the same SQL for every dialect).
SELECT outcome FROM audit_log WHERE event_id = :#eventId
