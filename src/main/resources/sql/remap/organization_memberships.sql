-- remap (mapping/Remap): a page of clerk-sync's own organization_memberships, live and deleted, in id order after :#after.
SELECT * FROM organization_memberships WHERE id > :#after ORDER BY id LIMIT 500
