-- The columns of a mapping's target table (mapping/MappingCheck): each column's name, its type as a
-- CAST names it (format_type quotes what needs quoting, e.g. an enum "Role"), and the type's name and
-- category, from which the service knows how to convert values, and whether it refuses null
-- (on-delete: keep). :#table is the table's name quoted as written, schema-qualified or found on the
-- search path. No row: there is no such table.
SELECT a.attname AS "name", format_type(a.atttypid, NULL) AS "type", t.typname AS "typname",
       CAST(t.typcategory AS text) AS "category", a.attnotnull AS "not_null"
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = to_regclass(:#table) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
