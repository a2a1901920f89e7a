-- The embedded twin of the owners' locks that sql/postgresql/begin-batch.sql takes: run once for
-- each owner of a delivery ('user:<id>', 'organization:<id>', in the order of the keys), before its
-- action statement, in the delivery's transaction (RelationalDecider decides one delivery at a time
-- on H2). Writing the owner's row in clerk_sync_owner_locks (db/migration/h2/V2) holds its lock until
-- the transaction ends: a deletion deciding the same owner at the same moment waits, or is waited
-- for. And since each statement reads what was committed when it started, the action statement,
-- which starts once this one holds the lock, reads everything the lock's last holder committed
-- (RelationalDeciderTest: a delivery that waited for a user's deletion is recorded erased).
MERGE INTO clerk_sync_owner_locks KEY (owner) VALUES (CAST(:#owner AS VARCHAR))
