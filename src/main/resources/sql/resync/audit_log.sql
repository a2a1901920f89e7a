-- resync (resync/Resync): a page of the audit log, in svix-id order after :#after (keyset: no offset to skip).
SELECT * FROM audit_log WHERE event_id > :#after ORDER BY event_id LIMIT 1000
