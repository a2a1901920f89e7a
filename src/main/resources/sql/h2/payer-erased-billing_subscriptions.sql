-- A record of billing_subscriptions without its payer's personal data (H2PayerErasureTrigger).
UPDATE billing_subscriptions SET data = :#data FORMAT JSON WHERE id = :#id
