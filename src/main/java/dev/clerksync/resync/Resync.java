package dev.clerksync.resync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.store.RecordKind;
import dev.clerksync.store.document.MongoBulk;
import dev.clerksync.store.document.RowDocuments;
import dev.clerksync.store.relational.SqlFile;
import org.bson.Document;

/**
 * Rebuilds the follower (the document store) from the decider's tables, without Clerk: each table
 * read in pages of 1,000 by key (keyset paging: no offset to skip, a row written meanwhile is never
 * read twice), each page written as one unordered bulk write of replacements. Idempotent: a
 * replacement by {@code _id} with the document the live writer would hold changes nothing the
 * second time. Safe beside a running service: a document a delivery made newer after the page was
 * read is kept ({@link RowDocuments#replacement}).
 */
final class Resync {

    /** Each kind's page of rows by key: {@code sql/resync/<table>.sql}. */
    private static final Map<RecordKind, SqlFile> PAGES = new EnumMap<>(RecordKind.class);

    static {
        for (RecordKind kind : RecordKind.values()) {
            PAGES.put(kind, SqlFile.load("sql/resync/" + kind.table() + ".sql"));
        }
    }

    private final DataSource dataSource;
    private final MongoDatabase mongo;
    private final ResyncProgress progress;

    Resync(DataSource dataSource, MongoDatabase mongo, ResyncProgress progress) {
        this.dataSource = dataSource;
        this.mongo = mongo;
        this.progress = progress;
    }

    void run() throws SQLException {
        for (RecordKind kind : RecordKind.values()) {
            copy(kind);
        }
    }

    private void copy(RecordKind kind) throws SQLException {
        String after = "";
        while (true) {
            List<Map<String, Object>> rows;
            // A connection per page: none is held while MongoDB writes.
            try (Connection connection = dataSource.getConnection()) {
                rows = PAGES.get(kind).queryList(connection, Map.of("after", after));
            }
            if (rows.isEmpty()) {
                return;
            }
            after = (String) rows.get(rows.size() - 1).get(kind.idColumn());
            List<WriteModel<Document>> writes = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                writes.add(RowDocuments.replacement(kind, RowDocuments.of(kind, row)));
            }
            MongoBulk bulk = MongoBulk.write(mongo, kind.collection(), writes);
            long kept = 0;
            for (int i = 0; i < writes.size(); i++) {
                if (bulk.duplicate(i)) {
                    kept++;
                } else if (!bulk.written(i)) {
                    throw bulk.failureOf(i);
                }
            }
            progress.written(kind, writes.size() - kept);
            progress.keptNewer(kept);
        }
    }
}
