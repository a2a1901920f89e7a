package dev.clerksync.mapping;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import dev.clerksync.store.relational.SqlFile;
import org.bson.Document;

/**
 * Checks mappings against the stores at start-up, before the webhook port opens (contract §11): the
 * target store is configured, the table and each column exist (names as written), the key has a
 * unique index or constraint of its own, each column's type is one a mapping converts to; in
 * MongoDB, the key is {@code _id} or has a unique index. The types read here are the ones the
 * generated statements cast to.
 */
final class MappingCheck {

    private final DataSource dataSource;
    private final String dialect;
    private final MongoDatabase mongo;

    /** {@code dataSource} null: no relational store; {@code mongo} null: no document store. */
    MappingCheck(DataSource dataSource, String dialect, MongoDatabase mongo) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.mongo = mongo;
    }

    List<MappedTable> tables(List<Mapping> mappings) {
        List<MappedTable> tables = new ArrayList<>();
        for (Mapping mapping : mappings) {
            if (mapping.postgres() == null) {
                continue;
            }
            if (dataSource == null) {
                throw mapping.problem("a postgres: target, but the relational store is not configured (SYNC_STORES)");
            }
            try (Connection connection = dataSource.getConnection()) {
                tables.add(table(connection, mapping));
            } catch (SQLException e) {
                throw mapping.problem("the table cannot be checked: " + e.getMessage());
            }
        }
        return tables;
    }

    List<MappedCollection> collections(List<Mapping> mappings) {
        List<MappedCollection> collections = new ArrayList<>();
        for (Mapping mapping : mappings) {
            if (mapping.mongodb() == null) {
                continue;
            }
            if (mongo == null) {
                throw mapping.problem("a mongodb: target, but the document store is not configured (SYNC_STORES)");
            }
            Mapping.Collection spec = mapping.mongodb();
            if (!spec.key().equals("_id") && !hasUniqueIndex(spec.collection(), spec.key())) {
                throw mapping.problem("mongodb.key '" + spec.key() + "' has no unique index in collection "
                        + spec.collection() + ": create it, db." + spec.collection() + ".createIndex({" + spec.key()
                        + ": 1}, {unique: true})");
            }
            collections.add(new MappedCollection(mapping));
        }
        return collections;
    }

    private MappedTable table(Connection connection, Mapping mapping) throws SQLException {
        Mapping.Table spec = mapping.postgres();
        String dir = "sql/" + dialect + "/";
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("schema", spec.schema());
        parameters.put("table", spec.table());
        if (isPostgres()) {
            parameters.put("table", (spec.schema() == null ? "" : MappedTable.quote(spec.schema()) + ".")
                    + MappedTable.quote(spec.table()));
        }
        Map<String, Map<String, Object>> columns = new HashMap<>();
        for (Map<String, Object> column : SqlFile.load(dir + "mapping-columns.sql").queryList(connection, parameters)) {
            columns.put((String) column.get("name"), column);
        }
        if (columns.isEmpty()) {
            throw mapping.problem("postgres.table: table " + spec.displayName() + " does not exist"
                    + " (names are taken as written: case matters)");
        }
        Map<String, Object> key = columns.get(spec.key());
        if (key == null) {
            throw mapping.problem("postgres.key: column '" + spec.key() + "' does not exist in table " + spec.displayName());
        }
        if (type(key) != ValueType.TEXT) {
            throw mapping.problem("postgres.key: column '" + spec.key() + "' is " + key.get("type")
                    + "; the key holds a Clerk id: text or varchar");
        }
        Set<String> unique = new HashSet<>();
        SqlFile.load(dir + "mapping-unique-keys.sql").queryList(connection, parameters)
                .forEach(row -> unique.add((String) row.get("name")));
        if (!unique.contains(spec.key())) {
            throw mapping.problem("postgres.key: column '" + spec.key() + "' of table " + spec.displayName()
                    + " has no unique index or constraint of its own");
        }
        List<MappedTable.Column> mapped = new ArrayList<>();
        for (Map.Entry<String, Source> entry : spec.columns().entrySet()) {
            Map<String, Object> column = columns.get(entry.getKey());
            if (column == null) {
                throw mapping.problem("postgres.columns: column '" + entry.getKey() + "' does not exist in table "
                        + spec.displayName());
            }
            ValueType type = type(column);
            if (type == null) {
                throw mapping.problem("postgres.columns: column '" + entry.getKey() + "' is " + column.get("type")
                        + ", which a mapping cannot write");
            }
            if (spec.onDelete() == Mapping.OnDelete.KEEP && Boolean.TRUE.equals(column.get("not_null"))) {
                throw mapping.problem("postgres.columns: column '" + entry.getKey() + "' of table " + spec.displayName()
                        + " is NOT NULL, but on-delete: keep sets every mapped column to null");
            }
            mapped.add(new MappedTable.Column(entry.getKey(), type, (String) column.get("type"), entry.getValue()));
        }
        return new MappedTable(mapping, isPostgres(), (String) key.get("type"), mapped);
    }

    private ValueType type(Map<String, Object> column) {
        return isPostgres() ? ValueType.ofPostgres((String) column.get("typname"), (String) column.get("category"))
                : ValueType.ofH2((String) column.get("typname"));
    }

    private boolean isPostgres() {
        return "postgresql".equals(dialect);
    }

    private boolean hasUniqueIndex(String collection, String field) {
        try {
            for (Document index : mongo.getCollection(collection).listIndexes()) {
                Document keys = index.get("key", Document.class);
                if (Boolean.TRUE.equals(index.getBoolean("unique")) && keys != null && keys.size() == 1
                        && keys.containsKey(field)) {
                    return true;
                }
            }
            return false;
        } catch (MongoException e) {
            // A collection that does not exist has no index (some servers answer with an error).
            return false;
        }
    }
}
