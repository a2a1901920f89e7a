-- One membership as the relational store holds it (every column), for the admin view.
SELECT * FROM organization_memberships WHERE id = :id
