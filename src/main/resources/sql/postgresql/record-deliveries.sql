-- The audit entries of a round's deliveries, of every action at once (RelationalDecider): every
-- parameter is an array with one element per delivery that an action statement decided (its
-- upsert-user.sql, delete-user.sql, audit-only.sql, …), with the outcome and whether the payload is
-- erased that the action statement returned. It runs after all of the round's action statements:
-- no two deliveries of a round share a svix-id, and a user's deletion shares its round with no other
-- delivery of that user (RelationalDecider.Decision#exclusiveRoundKeys), so what the round's
-- statements read of audit_log (a svix-id audited already, a deleted user's entries to erase) is the
-- same whether its entries are written before or after them.
-- Returns, for each delivery recorded here, its svix-id, outcome, and whether its payload was
-- erased; no row for a svix-id already in audit_log.
INSERT INTO audit_log AS a (event_id, event_type, subject_id, user_id, event_at, received_at, outcome, payload)
SELECT event_id, event_type, subject_id, user_id, event_at, received_at, outcome,
       CASE WHEN erased THEN '{"erased": true}' ELSE payload END
FROM unnest(CAST(:#eventId AS text[]), CAST(:#eventType AS text[]), CAST(:#subjectId AS text[]),
            CAST(:#userId AS text[]), CAST(:#eventAt AS timestamptz[]), CAST(:#receivedAt AS timestamptz[]),
            CAST(:#outcome AS text[]), CAST(:#erased AS boolean[]), CAST(:#payload AS jsonb[]))
     AS d(event_id, event_type, subject_id, user_id, event_at, received_at, outcome, erased, payload)
ON CONFLICT (event_id) DO NOTHING
RETURNING a.event_id AS "event_id", a.outcome AS "outcome", a.payload = '{"erased": true}' AS "erased"
