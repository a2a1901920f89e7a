-- --reconcile: live stored memberships that this run has not seen, after :#afterId in id order (a page
-- of at most :#limit), which it then asks Clerk about one by one.
SELECT t.id, t.organization_id, t.user_id
FROM organization_memberships t
WHERE t.deleted_at IS NULL AND t.id > :#afterId
  AND NOT EXISTS (SELECT 1 FROM backfill_seen s WHERE s.run_id = :#run AND s.kind = :#kind AND s.id = t.id)
ORDER BY t.id
LIMIT :#limit
