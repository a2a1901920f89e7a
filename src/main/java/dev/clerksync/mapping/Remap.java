package dev.clerksync.mapping;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.document.MongoBulk;
import dev.clerksync.store.relational.SqlFile;
import org.bson.Document;

/**
 * Rebuilds mapped targets from clerk-sync's own tables, without Clerk (contract §11, {@code remap}):
 * page by page in key order, each page in one transaction, with the very statements and
 * projection the webhooks use. A live record is written (a row it updates keeps its own id and
 * unnamed columns), every audit entry too; a deleted record creates nothing, and a row or document
 * already there is treated as {@code on-delete} says. Idempotent: a second run writes the same values.
 * Mapped documents keep their guard (the record's last event), so a change that a webhook made
 * meanwhile is never overwritten by an older state read here.
 */
public final class Remap {

    /** What one mapping's rebuild did. */
    public static final class Counts {
        long written;
        long deleted;

        public long written() {
            return written;
        }

        public long deleted() {
            return deleted;
        }
    }

    private final DataSource dataSource;
    private final Mappings mappings;
    private final PrintStream progress;

    public Remap(DataSource dataSource, Mappings mappings, PrintStream progress) {
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.progress = progress;
    }

    /** Rebuilds the mappings with these ids (all, when null); their counts by id. */
    public Map<String, Counts> run(String only) throws SQLException {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (MappedTable table : mappings.tables()) {
            if (only == null || only.equals(table.mapping().id())) {
                rebuild(table.mapping(), table, null, counts.computeIfAbsent(table.mapping().id(), id -> new Counts()));
            }
        }
        for (MappedCollection collection : mappings.collections()) {
            if (only == null || only.equals(collection.mapping().id())) {
                rebuild(collection.mapping(), null, collection, counts.computeIfAbsent(collection.mapping().id(), id -> new Counts()));
            }
        }
        return counts;
    }

    /** Rebuilds the mapped collections only (resync: the document store rebuilt from the relational one). */
    public Map<String, Counts> runCollections() throws SQLException {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (MappedCollection collection : mappings.collections()) {
            rebuild(collection.mapping(), null, collection, counts.computeIfAbsent(collection.mapping().id(), id -> new Counts()));
        }
        return counts;
    }

    private void rebuild(Mapping mapping, MappedTable table, MappedCollection collection, Counts counts) throws SQLException {
        RecordKind kind = mapping.record();
        SqlFile page = SqlFile.load("sql/remap/" + kind.table() + ".sql");
        String target = table != null ? "table " + mapping.postgres().displayName() : "collection " + collection.collection();
        long written = 0;
        long deleted = 0;
        String after = "";
        try (Connection connection = dataSource.getConnection()) {
            while (true) {
                List<Map<String, Object>> rows = page.queryList(connection, Map.of("after", after));
                if (rows.isEmpty()) {
                    break;
                }
                after = (String) rows.get(rows.size() - 1).get(kind.idColumn());
                List<SourceRow> live = new ArrayList<>();
                List<Map<String, Object>> liveRows = new ArrayList<>();
                List<String> gone = new ArrayList<>();
                for (Map<String, Object> row : rows) {
                    if (kind != RecordKind.AUDIT && row.get("deleted_at") != null) {
                        gone.add((String) row.get("id"));
                    } else {
                        live.add(SourceRow.fromTable(kind, row));
                        liveRows.add(row);
                    }
                }
                if (table != null) {
                    connection.setAutoCommit(false);
                    try {
                        table.upsert(connection, live, false);
                        deleted += table.onDelete(connection, gone);
                        connection.commit();
                    } catch (SQLException | RuntimeException e) {
                        connection.rollback();
                        throw e;
                    } finally {
                        connection.setAutoCommit(true);
                    }
                } else {
                    deleted += writeDocuments(collection, kind, live, liveRows, gone);
                }
                written += live.size();
                progress.printf("remap %s (%s): %d written, %d deleted so far%n", mapping.id(), target, written, deleted);
            }
        }
        counts.written = Math.max(counts.written, written);
        counts.deleted = Math.max(counts.deleted, deleted);
    }

    private long writeDocuments(MappedCollection collection, RecordKind kind, List<SourceRow> live,
                                List<Map<String, Object>> liveRows, List<String> gone) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
            Map<String, Object> row = liveRows.get(i);
            writes.add(kind == RecordKind.AUDIT ? collection.replaceValues(live.get(i))
                    : collection.upsert(live.get(i), instant(row.get("last_event_at")), (String) row.get("last_event_id")));
        }
        MongoBulk bulk = MongoBulk.write(mappings.mongo(), collection.collection(), writes);
        for (int i = 0; i < writes.size(); i++) {
            // A duplicate key: the document holds a newer change than the one read here (a webhook meanwhile).
            if (!bulk.written(i) && !bulk.duplicate(i)) {
                throw bulk.failureOf(i);
            }
        }
        if (gone.isEmpty()) {
            return 0;
        }
        WriteModel<Document> onDelete = collection.onDelete(gone);
        if (onDelete == null) {
            return 0;
        }
        var result = mappings.mongo().getCollection(collection.collection()).bulkWrite(List.of(onDelete));
        return result.getDeletedCount() + result.getModifiedCount();
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp time) {
            return time.toInstant();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        return (Instant) value;
    }

    /** Counts per mapping as the commands' JSON summaries give them: {"id":{"written":N,"deleted":N},…}. */
    public static String countsJson(Map<String, Counts> counts) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        counts.forEach((id, count) -> json.putObject(id).put("written", count.written()).put("deleted", count.deleted()));
        return json.toString();
    }
}
