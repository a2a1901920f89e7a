-- StoreIdentity: a row when the audit log holds any delivery (the relational store has a history).
SELECT 1 AS found FROM audit_log LIMIT 1
