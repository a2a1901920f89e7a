-- The next chunk of a deferred cascade (db/migration V9): the deleted owner's next live memberships,
-- in id order from where the last chunk stopped, locked until the chunk's transaction ends.
SELECT m.id AS "id" FROM organization_memberships m
WHERE ((CAST(:#ownerKind AS text) = 'user' AND m.user_id = :#ownerId)
       OR (CAST(:#ownerKind AS text) = 'organization' AND m.organization_id = :#ownerId))
  AND m.id > CAST(:#doneThrough AS text) AND m.deleted_at IS NULL
ORDER BY m.id
LIMIT :#limit
FOR UPDATE
