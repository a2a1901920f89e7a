-- resync (resync/Resync): a page of billing_payment_attempts in id order after :#after (keyset: no offset to skip).
SELECT * FROM billing_payment_attempts WHERE id > :#after ORDER BY id LIMIT 1000
