-- One billing record as the relational store holds it (every column), for the admin view.
SELECT * FROM billing_payment_attempts WHERE id = :id
