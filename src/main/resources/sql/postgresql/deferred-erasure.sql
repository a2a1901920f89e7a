-- Whether a user's deletion left the erasure of the user's audit entries to the chunks after the
-- answer (db/migration V9): the follower then leaves them to those chunks too.
SELECT EXISTS (SELECT 1 FROM cascade_work WHERE event_id = :#eventId AND kind = 'erasure') AS "deferred"
