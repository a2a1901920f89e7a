-- A user's memberships (live and deleted), for the admin view's record page.
SELECT * FROM organization_memberships WHERE user_id = :id ORDER BY id
