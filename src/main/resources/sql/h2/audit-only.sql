-- The embedded twin of sql/postgresql/audit-only.sql, in H2's SQL, for one delivery: no effect.
-- Returns, when the svix-id is not in audit_log yet, 'ignored' and whether its payload is to be
-- recorded erased; no row otherwise. It writes no audit entry: record-deliveries.sql writes it next.
-- Its WHERE first updates the row of the event's user in clerk_sync_owner_locks and holds that lock
-- until it commits: a deletion deciding at the same moment and this delivery then read each other's
-- writes (H2's twin of PostgreSQL's owner locks, db/migration/h2/V2). Every read after it is in a
-- statement nested in this query, as upsert-user.sql says why.
SELECT 'ignored' AS "outcome",
       (SELECT COUNT(*) FROM FINAL TABLE (
           UPDATE clerk_sync_owner_locks SET owner = owner
           WHERE owner = 'user:' || :#userId
             AND EXISTS (SELECT 1 FROM users WHERE id = :#userId AND deleted_at IS NOT NULL
                            AND last_event_id <> :#eventId))) > 0 AS "erased"
WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE event_id = :#eventId)
  AND (:#userId IS NULL OR (SELECT COUNT(*) FROM FINAL TABLE (
          MERGE INTO clerk_sync_owner_locks KEY (owner) VALUES (CAST('user:' || :#userId AS VARCHAR)))) >= 0)
