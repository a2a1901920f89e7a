-- remap (mapping/Remap): a page of clerk-sync's own organizations, live and deleted, in id order after :#after.
SELECT * FROM organizations WHERE id > :#after ORDER BY id LIMIT 500
