-- resync (resync/Resync): a page of billing_subscription_items in id order after :#after (keyset: no offset to skip).
SELECT * FROM billing_subscription_items WHERE id > :#after ORDER BY id LIMIT 1000
