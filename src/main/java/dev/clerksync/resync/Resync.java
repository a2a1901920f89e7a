package dev.clerksync.resync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.WriteModel;
import dev.clerksync.store.document.MongoBulk;
import dev.clerksync.store.document.RowDocuments;
import dev.clerksync.store.document.RowDocuments.Kind;
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

    private record Table(Kind kind, SqlFile page, String key) {
    }

    private static final List<Table> TABLES = List.of(
            new Table(Kind.USER, SqlFile.load("sql/resync/users.sql"), "id"),
            new Table(Kind.ORGANIZATION, SqlFile.load("sql/resync/organizations.sql"), "id"),
            new Table(Kind.MEMBERSHIP, SqlFile.load("sql/resync/organization_memberships.sql"), "id"),
            new Table(Kind.AUDIT, SqlFile.load("sql/resync/audit_log.sql"), "event_id"),
            new Table(Kind.SUBSCRIPTION, SqlFile.load("sql/resync/billing_subscriptions.sql"), "id"),
            new Table(Kind.SUBSCRIPTION_ITEM, SqlFile.load("sql/resync/billing_subscription_items.sql"), "id"),
            new Table(Kind.PAYMENT_ATTEMPT, SqlFile.load("sql/resync/billing_payment_attempts.sql"), "id"));

    private final DataSource dataSource;
    private final MongoDatabase mongo;
    private final ResyncProgress progress;

    Resync(DataSource dataSource, MongoDatabase mongo, ResyncProgress progress) {
        this.dataSource = dataSource;
        this.mongo = mongo;
        this.progress = progress;
    }

    void run() throws SQLException {
        for (Table table : TABLES) {
            copy(table);
        }
    }

    private void copy(Table table) throws SQLException {
        String after = "";
        while (true) {
            List<Map<String, Object>> rows;
            // A connection per page: none is held while MongoDB writes.
            try (Connection connection = dataSource.getConnection()) {
                rows = table.page().queryList(connection, Map.of("after", after));
            }
            if (rows.isEmpty()) {
                return;
            }
            after = (String) rows.get(rows.size() - 1).get(table.key());
            List<WriteModel<Document>> writes = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                writes.add(RowDocuments.replacement(table.kind(), RowDocuments.of(table.kind(), row)));
            }
            MongoBulk bulk = MongoBulk.write(mongo, table.kind().collection(), writes);
            long kept = 0;
            for (int i = 0; i < writes.size(); i++) {
                if (bulk.duplicate(i)) {
                    kept++;
                } else if (!bulk.written(i)) {
                    throw bulk.failureOf(i);
                }
            }
            progress.written(table.kind(), writes.size() - kept);
            progress.keptNewer(kept);
        }
    }
}
