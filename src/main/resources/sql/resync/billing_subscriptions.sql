-- resync (resync/Resync): a page of billing_subscriptions in id order after :#after (keyset: no offset to skip).
SELECT * FROM billing_subscriptions WHERE id > :#after ORDER BY id LIMIT 1000
