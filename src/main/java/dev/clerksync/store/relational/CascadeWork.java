package dev.clerksync.store.relational;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.clerksync.store.CascadeFollower;

/**
 * Continues the cascades and erasures that deletions left for after their answer (PostgreSQL,
 * db/migration V9, docs/design.md decision 16), in chunks of at most {@code chunk} rows, each in a
 * transaction of its own: the work's row and the chunk's rows stay locked until it commits, so that
 * replicas continue different work at once and a deletion or delivery deciding meanwhile waits for
 * the chunk's rows, then finds them deleted. The follower (MongoDB) makes the chunk's change first,
 * then the chunk commits: a crash in between makes it again in both stores. Called by the service's
 * timer (routes/cascades.camel.yaml) and by a command after its deletions. The mappings' tables
 * (contract §11) follow each chunk in its transaction ({@link AfterChunk}), their collections in the
 * follower's writes.
 */
public final class CascadeWork {

    /** More writes in each chunk's transaction (the mappings'): a failure rolls the chunk back, to be made again. */
    public interface AfterChunk {

        AfterChunk NONE = new AfterChunk() {
            @Override
            public void membershipsDeleted(Connection connection, List<String> ids) {
            }

            @Override
            public void entriesErased(Connection connection, List<String> eventIds) {
            }
        };

        /** These memberships were deleted by the chunk. */
        void membershipsDeleted(Connection connection, List<String> ids) throws SQLException;

        /** These audit entries were erased by the chunk (the deletion's own is never among them). */
        void entriesErased(Connection connection, List<String> eventIds) throws SQLException;
    }

    private final SqlFile begin = statement("cascade-begin");
    private final SqlFile next = statement("cascade-work-next");
    private final SqlFile memberships = statement("cascade-chunk-memberships");
    private final SqlFile entries = statement("cascade-chunk-erasure");
    private final SqlFile deleteMemberships = statement("cascade-delete-memberships");
    private final SqlFile eraseEntries = statement("cascade-erase-entries");
    private final SqlFile progress = statement("cascade-work-progress");

    private final DataSource dataSource;
    private final CascadeFollower follower;
    private final String changeEvents;
    private final int chunk;
    private AfterChunk afterChunk = AfterChunk.NONE;

    public CascadeWork(DataSource dataSource, CascadeFollower follower, boolean changeEvents, int chunk) {
        this.dataSource = dataSource;
        this.follower = follower;
        this.changeEvents = changeEvents ? "on" : "off";
        this.chunk = chunk;
    }

    /** Set before the first chunk (start-up). */
    public void afterChunk(AfterChunk hook) {
        this.afterChunk = hook;
    }

    /** Continues the work left for later, chunk after chunk, until none is left or {@code budgetMillis} have passed. */
    public void continueWork(long budgetMillis) throws SQLException {
        long until = System.nanoTime() + budgetMillis * 1_000_000;
        while (nextChunk() && System.nanoTime() < until) {
            // one more chunk
        }
    }

    /** Continues the work until none is left (a command, before it ends). */
    public void finish() throws SQLException {
        while (nextChunk()) {
            // one more chunk
        }
    }

    /** One chunk of the oldest work no other replica holds; false when there was none. */
    boolean nextChunk() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                begin.queryOne(connection, Map.of("changeEvents", changeEvents));
                Map<String, Object> work = next.queryOne(connection, Map.of());
                if (work == null) {
                    connection.commit();
                    return false;
                }
                String through = chunkOf(connection, work);
                progress.update(connection, parameters("id", work.get("id"), "through", through));
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Deletes or erases the chunk's rows in both stores; the last key done, or null when none was left. */
    private String chunkOf(Connection connection, Map<String, Object> work) throws SQLException {
        boolean isMemberships = "memberships".equals(work.get("kind"));
        Map<String, Object> scope = Map.of("ownerKind", work.get("owner_kind"), "ownerId", work.get("owner_id"),
                "doneThrough", work.get("done_through"), "limit", chunk);
        List<String> keys = (isMemberships ? memberships : entries).queryList(connection, scope).stream()
                .map(row -> (String) row.get("id")).toList();
        if (keys.isEmpty()) {
            return null;
        }
        String eventId = (String) work.get("event_id");
        Timestamp deletedAt = (Timestamp) work.get("deleted_at");
        Map<String, Object> change = Map.of("ids", keys.toArray(String[]::new), "eventId", eventId, "deletedAt", deletedAt);
        if (isMemberships) {
            follower.deleteMemberships(keys, deletedAt.toInstant(), eventId);
            deleteMemberships.update(connection, change);
            afterChunk.membershipsDeleted(connection, keys);
        } else {
            List<String> erased = keys.stream().filter(key -> !key.equals(eventId)).toList();
            follower.eraseEntries(erased);
            eraseEntries.update(connection, change);
            afterChunk.entriesErased(connection, erased);
        }
        return keys.get(keys.size() - 1);
    }

    private static SqlFile statement(String name) {
        return SqlFile.load("sql/postgresql/" + name + ".sql");
    }

    private static Map<String, Object> parameters(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new java.util.HashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
