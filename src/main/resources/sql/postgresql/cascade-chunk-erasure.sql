-- The next chunk of a deferred erasure (db/migration V9): the deleted user's next audit entries, in
-- event_id order from where the last chunk stopped, locked until the chunk's transaction ends.
SELECT a.event_id AS "id" FROM audit_log a
WHERE a.user_id = CAST(:#ownerId AS text) AND a.event_id > CAST(:#doneThrough AS text)
ORDER BY a.event_id
LIMIT :#limit
FOR UPDATE
