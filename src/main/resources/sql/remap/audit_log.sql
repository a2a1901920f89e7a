-- remap (mapping/Remap): a page of the audit log, in svix-id order after :#after.
SELECT * FROM audit_log WHERE event_id > :#after ORDER BY event_id LIMIT 500
