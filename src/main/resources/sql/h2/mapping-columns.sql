-- The columns of a mapping's target table (mapping/MappingCheck), names as written: their names and
-- data types, and whether each refuses null (on-delete: keep). :#schema null means the connection's
-- current schema. No row: there is no such table.
SELECT COLUMN_NAME AS "name", DATA_TYPE AS "type", DATA_TYPE AS "typname", '' AS "category",
       IS_NULLABLE = 'NO' AS "not_null"
FROM INFORMATION_SCHEMA.COLUMNS
WHERE TABLE_SCHEMA = COALESCE(CAST(:#schema AS VARCHAR), SCHEMA()) AND TABLE_NAME = :#table
ORDER BY ORDINAL_POSITION
