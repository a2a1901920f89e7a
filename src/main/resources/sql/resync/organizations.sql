-- resync (resync/Resync): a page of organizations, live and deleted, in id order after :#after (keyset: no offset to skip).
SELECT * FROM organizations WHERE id > :#after ORDER BY id LIMIT 1000
