-- remap (mapping/Remap): a page of clerk-sync's own billing_subscriptions (never deleted), in id order after :#after.
SELECT * FROM billing_subscriptions WHERE id > :#after ORDER BY id LIMIT 500
