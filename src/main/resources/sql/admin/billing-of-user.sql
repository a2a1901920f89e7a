-- The billing records a user pays for (docs/billing.md), for the admin view's record page:
-- subscriptions, then items, then payment attempts, each by id.
SELECT kind, id, status, updated_at FROM (
    SELECT 1 AS rank, 'subscription' AS kind, id, status, updated_at FROM billing_subscriptions WHERE user_id = :id
    UNION ALL
    SELECT 2, 'subscriptionItem', id, status, updated_at FROM billing_subscription_items WHERE user_id = :id
    UNION ALL
    SELECT 3, 'paymentAttempt', id, status, updated_at FROM billing_payment_attempts WHERE user_id = :id
) AS billing
ORDER BY rank, id
