-- A record of billing_payment_attempts without its payer's personal data (H2PayerErasureTrigger).
UPDATE billing_payment_attempts SET data = :#data FORMAT JSON WHERE id = :#id
