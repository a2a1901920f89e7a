-- resync (resync/Resync): a page of users, live and deleted, in id order after :#after (keyset: no offset to skip).
SELECT * FROM users WHERE id > :#after ORDER BY id LIMIT 1000
