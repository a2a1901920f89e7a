-- The memberships a deletion of a user or organization deleted here (its cascade), for the follower
-- to delete the same ones: a membership deleted by several deletions at once keeps the one that
-- reached it first here, in every store. The same SQL for every dialect.
SELECT id AS "id" FROM organization_memberships
WHERE (organization_id = :#subjectId OR user_id = :#subjectId) AND last_event_id = :#eventId
