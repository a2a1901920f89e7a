-- Any type without a sync: record the delivery as ignored.
-- Returns 'ignored'; no row when this svix-id is already in audit_log.
INSERT INTO audit_log (event_id, event_type, subject_id, event_at, received_at, outcome, payload)
VALUES (:#eventId, :#eventType, :#subjectId, CAST(:#eventAt AS timestamptz), CAST(:#receivedAt AS timestamptz),
        'ignored', CAST(:#payload AS jsonb))
ON CONFLICT (event_id) DO NOTHING
RETURNING outcome
