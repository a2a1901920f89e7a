-- remap (mapping/Remap): a page of clerk-sync's own users, live and deleted, in id order after :#after.
SELECT * FROM users WHERE id > :#after ORDER BY id LIMIT 500
