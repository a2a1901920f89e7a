-- The admin view's list of organizations: as list-user.sql, found by id, name or slug.
SELECT id, name, slug, created_by, created_at, updated_at, deleted_at
FROM organizations
WHERE (CAST(:after AS VARCHAR) IS NULL OR id < :after)
  AND (CAST(:q AS VARCHAR) IS NULL
       OR id = :q
       OR LOWER(name) LIKE :pattern ESCAPE '\'
       OR LOWER(slug) LIKE :pattern ESCAPE '\')
ORDER BY id DESC
LIMIT :count
