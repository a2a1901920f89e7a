-- The audit entries about a deleted user that its deletion left erased here (all of them but the
-- deletion's own), for the follower to erase the same ones by id: a query by id is one every
-- MongoDB serves from an index, where one by userId is not (the embedded server keeps no secondary
-- index of its own). Asked only when the erasure was not left for later (CascadeWork). The same SQL
-- for every dialect.
SELECT event_id AS "event_id" FROM audit_log
WHERE user_id = :#subjectId AND event_id <> :#eventId
