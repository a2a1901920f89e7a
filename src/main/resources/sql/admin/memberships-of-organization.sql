-- An organization's memberships (live and deleted), for the admin view's record page.
SELECT * FROM organization_memberships WHERE organization_id = :id ORDER BY id
