-- The admin view's deliveries (contract §6): newest first by (received_at, event_id), the cursor's
-- order. This index serves that order and the cursor's row comparison without a sort, and, with
-- outcome in it, the status panel's counts by outcome over the last hour and day from the index
-- alone. It makes audit_log_received_at redundant: replaced, so that a delivery still updates one
-- index for its time. (bench/RESULTS.md, "Admin view over 100,000 audit entries".)
DROP INDEX IF EXISTS audit_log_received_at;
CREATE INDEX audit_log_received_at_event_id ON audit_log (received_at, event_id, outcome);

-- A type filter (e.g. every user.deleted) walks only that type's entries, newest first.
CREATE INDEX audit_log_event_type_received_at ON audit_log (event_type, received_at, event_id);
