-- A record of billing_subscription_items without its payer's personal data (H2PayerErasureTrigger).
UPDATE billing_subscription_items SET data = :#data FORMAT JSON WHERE id = :#id
