-- One billing record as the relational store holds it (every column), for the admin view.
SELECT * FROM billing_subscription_items WHERE id = :id
