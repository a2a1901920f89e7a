package dev.clerksync.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.SyncStack;
import org.bson.Document;

/** Audit entries written straight into both stores, for cases the webhook cannot make on demand. */
final class AuditRows {

    private AuditRows() {
    }

    /** {@code count} applied entries about this subject, all received in one millisecond; their ids. */
    static List<String> insertSameMillisecond(SyncStack stack, String subject, int count) throws Exception {
        return insertSameMillisecond(stack, subject, count, true);
    }

    /** As above; with {@code inMongodb} false, in the relational store only (a store missing the entries). */
    static List<String> insertSameMillisecond(SyncStack stack, String subject, int count, boolean inMongodb)
            throws Exception {
        Instant receivedAt = Instant.parse("2026-01-02T03:04:05.678Z");
        List<String> ids = new ArrayList<>();
        List<Document> documents = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(stack.postgres().url(), PostgresDatabase.user(),
                PostgresDatabase.password());
                PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (event_id, event_type, "
                        + "subject_id, user_id, event_at, received_at, outcome, payload) "
                        + "VALUES (?, 'user.updated', ?, ?, ?, ?, 'applied', '{}'::jsonb)")) {
            for (int i = 0; i < count; i++) {
                String id = String.format("msg_tie_%s_%03d", subject, i);
                ids.add(id);
                insert.setString(1, id);
                insert.setString(2, subject);
                insert.setString(3, subject);
                insert.setTimestamp(4, Timestamp.from(receivedAt));
                insert.setTimestamp(5, Timestamp.from(receivedAt));
                insert.addBatch();
                documents.add(new Document("_id", id).append("eventType", "user.updated").append("subjectId", subject)
                        .append("userId", subject).append("eventAt", Date.from(receivedAt))
                        .append("receivedAt", Date.from(receivedAt)).append("outcome", "applied")
                        .append("payload", new Document()));
            }
            insert.executeBatch();
        }
        if (inMongodb) {
            stack.mongo().database().getCollection("audit_log").insertMany(documents);
        }
        return ids;
    }

    /** A finished backfill run as the backfill command records it (docs/backfill.md). */
    static void insertBackfillRun(SyncStack stack, String runId, String startedAt) throws Exception {
        try (Connection connection = DriverManager.getConnection(stack.postgres().url(), PostgresDatabase.user(),
                PostgresDatabase.password());
                PreparedStatement insert = connection.prepareStatement("INSERT INTO backfill_runs (run_id, started_at, "
                        + "finished_at, status, options, checkpoint) VALUES (?, ?, ?, 'done', 'users', '{}')")) {
            insert.setString(1, runId);
            insert.setTimestamp(2, Timestamp.from(Instant.parse(startedAt)));
            insert.setTimestamp(3, Timestamp.from(Instant.parse(startedAt).plusSeconds(60)));
            insert.executeUpdate();
        }
    }
}
