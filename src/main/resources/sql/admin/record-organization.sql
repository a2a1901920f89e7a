-- One organization as the relational store holds it (every column), for the admin view.
SELECT * FROM organizations WHERE id = :id
