-- A chunk's audit entries, erased: they keep their ids, type, times and outcome (but the deletion's own).
UPDATE audit_log SET payload = '{"erased": true}'
WHERE event_id = ANY (CAST(:#ids AS text[])) AND event_id <> :#eventId AND payload <> '{"erased": true}'
