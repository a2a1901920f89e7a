-- The admin view's list of users: descending id order (Clerk ids sort by creation time, so the
-- newest first), after the id :after when it is given, at most :count. With :q, only the users whose
-- id is :q or whose email, username, first name, last name or "first last" holds :q whatever the
-- case (:pattern is :q lower-cased with its LIKE characters escaped, between two %). The same SQL
-- for every dialect.
SELECT id, email, first_name, last_name, username, created_at, updated_at, deleted_at
FROM users
WHERE (CAST(:after AS VARCHAR) IS NULL OR id < :after)
  AND (CAST(:q AS VARCHAR) IS NULL
       OR id = :q
       OR LOWER(email) LIKE :pattern ESCAPE '\'
       OR LOWER(username) LIKE :pattern ESCAPE '\'
       OR LOWER(first_name) LIKE :pattern ESCAPE '\'
       OR LOWER(last_name) LIKE :pattern ESCAPE '\'
       OR LOWER(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) LIKE :pattern ESCAPE '\')
ORDER BY id DESC
LIMIT :count
