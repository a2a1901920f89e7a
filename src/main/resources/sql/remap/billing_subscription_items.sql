-- remap (mapping/Remap): a page of clerk-sync's own billing_subscription_items (never deleted), in id order after :#after.
SELECT * FROM billing_subscription_items WHERE id > :#after ORDER BY id LIMIT 500
