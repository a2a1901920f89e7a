-- --reconcile: live stored records of one kind (:#kind: users, organizations or memberships) that
-- this run has not seen, after :#afterId in id order (a page of at most :#limit), which it then asks
-- Clerk about one by one. A membership comes with its owners, which the question to Clerk needs.
SELECT id, organization_id, user_id FROM (
    SELECT t.id, NULL AS organization_id, NULL AS user_id FROM users t
    WHERE :#kind = 'users' AND t.deleted_at IS NULL AND t.id > :#afterId
    UNION ALL
    SELECT t.id, NULL, NULL FROM organizations t
    WHERE :#kind = 'organizations' AND t.deleted_at IS NULL AND t.id > :#afterId
    UNION ALL
    SELECT t.id, t.organization_id, t.user_id FROM organization_memberships t
    WHERE :#kind = 'memberships' AND t.deleted_at IS NULL AND t.id > :#afterId
) AS live
WHERE NOT EXISTS (SELECT 1 FROM backfill_seen s WHERE s.run_id = :#run AND s.kind = :#kind AND s.id = live.id)
ORDER BY id
LIMIT :#limit
