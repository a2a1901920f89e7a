package dev.clerksync.mapping;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import dev.clerksync.admin.JsonValues;
import dev.clerksync.admin.MappedReads;
import dev.clerksync.admin.StoreReadException;
import dev.clerksync.store.RecordKind;

/**
 * The admin view's mapped rows and documents of a record (docs/admin-view.md): each target's row
 * or document beside what it should hold, which is what a write would make of clerk-sync's own
 * record now (the projection; for a deleted record, on-delete: no row, or the key and nulls when a
 * kept row is there), and the columns or fields in which they differ. Read-only.
 */
final class MappedRecords implements MappedReads {

    private final List<MappedTable> tables;
    private final List<MappedCollection> collections;
    private final DataSource dataSource;
    private final MongoDatabase mongo;

    MappedRecords(List<MappedTable> tables, List<MappedCollection> collections, DataSource dataSource, MongoDatabase mongo) {
        this.tables = tables;
        this.collections = collections;
        this.dataSource = dataSource;
        this.mongo = mongo;
    }

    @Override
    public List<ObjectNode> of(RecordKind record, String id, ObjectNode own) {
        SourceRow source = own == null ? null : SourceRow.fromJson(record, own);
        boolean deleted = own != null && own.hasNonNull("deleted_at");
        List<ObjectNode> shown = new ArrayList<>();
        List<MappedTable> mine = tables.stream().filter(table -> table.mapping().record() == record).toList();
        if (!mine.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                for (MappedTable table : mine) {
                    ObjectNode row = table.read(connection, id);
                    ObjectNode expected = expectsOne(source, deleted, table.mapping().postgres().onDelete(), row != null)
                            ? table.expected(source, deleted) : null;
                    shown.add(entry(table.mapping(), "postgres", table.mapping().postgres().displayName(), row, expected));
                }
            } catch (SQLException | RuntimeException e) {
                throw new StoreReadException("postgres", e);
            }
        }
        for (MappedCollection collection : collections) {
            if (collection.mapping().record() != record) {
                continue;
            }
            try {
                ObjectNode document = collection.read(mongo, id);
                ObjectNode expected = expectsOne(source, deleted, collection.mapping().mongodb().onDelete(), document != null)
                        ? collection.expected(source, deleted) : null;
                shown.add(entry(collection.mapping(), "mongodb", collection.collection(), document, expected));
            } catch (RuntimeException e) {
                throw new StoreReadException("mongodb", e);
            }
        }
        return shown;
    }

    /**
     * Whether the target should hold the record: not when clerk-sync does not hold it, nor when it is
     * deleted and on-delete removes its row, or no row was there to keep (remap creates none).
     */
    private static boolean expectsOne(SourceRow source, boolean deleted, Mapping.OnDelete onDelete, boolean present) {
        return source != null && !(deleted && (onDelete == Mapping.OnDelete.DELETE || !present));
    }

    private static ObjectNode entry(Mapping mapping, String store, String target, ObjectNode row, ObjectNode expected) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("mapping", mapping.id());
        entry.put("store", store);
        entry.put("target", target);
        entry.set("row", row == null ? JsonNodeFactory.instance.nullNode() : row);
        entry.set("expected", expected == null ? JsonNodeFactory.instance.nullNode() : expected);
        ArrayNode differences = entry.putArray("differences");
        if (row != null && expected != null) {
            for (Iterator<String> fields = expected.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                JsonNode value = row.get(field);
                if (value == null || !value.equals(JsonValues.SAME_VALUE, expected.get(field))) {
                    differences.add(field);
                }
            }
        }
        entry.put("agree", (row == null) == (expected == null) && differences.isEmpty());
        return entry;
    }
}
