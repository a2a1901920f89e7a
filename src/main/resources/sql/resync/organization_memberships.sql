-- resync (resync/Resync): a page of organization_memberships, live and deleted, in id order after :#after (keyset: no offset to skip).
SELECT * FROM organization_memberships WHERE id > :#after ORDER BY id LIMIT 1000
