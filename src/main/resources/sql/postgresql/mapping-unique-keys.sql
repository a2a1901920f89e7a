-- The columns of a mapping's target table that a unique index (or a unique or primary key
-- constraint) covers alone, without a predicate: those an INSERT … ON CONFLICT (key) can name.
SELECT a.attname AS "name"
FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = to_regclass(:#table) AND i.indisunique AND i.indnkeyatts = 1
  AND i.indpred IS NULL AND i.indexprs IS NULL
