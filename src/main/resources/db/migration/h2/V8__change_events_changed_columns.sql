-- The embedded twin of db/migration/postgresql/V8: change events say which columns a change altered
-- (contract §9 `changed`). H2ChangeEventTrigger computes it from the row before and after the change.
-- Events written before this migration keep null: the relay lists every column set for them.
ALTER TABLE change_events ADD COLUMN changed JSON;
