-- The billing records of a payer's user whose data still holds a payer (H2PayerErasureTrigger, on the
-- user's deletion): each with its table, to be written back without the payer's personal data.
SELECT 'billing_subscriptions' AS "table_name", id AS "id", data AS "data" FROM billing_subscriptions WHERE user_id = :#userId
UNION ALL
SELECT 'billing_subscription_items', id, data FROM billing_subscription_items WHERE user_id = :#userId
UNION ALL
SELECT 'billing_payment_attempts', id, data FROM billing_payment_attempts WHERE user_id = :#userId
