-- One user as the relational store holds it (every column), for the admin view.
SELECT * FROM users WHERE id = :id
