-- The JSON columns that hold a whole Clerk object (an audit entry's payload, a record's data) are
-- usually over the 2 kB at which PostgreSQL compresses a row. Its default, pglz, was 6 % of
-- PostgreSQL's CPU per delivery (bench/RESULTS.md, "Set-based rounds"). With lz4, 20,000 users'
-- objects were inserted in half the time and took a fifth more room (31 MB against 26 MB). It
-- applies to values written from now on. A server built without lz4
-- (it came in PostgreSQL 14, as a build option that Debian's and the official images take) keeps
-- pglz: the migration then does nothing but say so.
DO $$
BEGIN
    ALTER TABLE audit_log ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE users ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE organizations ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE organization_memberships ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE change_events ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: the JSON columns stay compressed with pglz';
END $$;
