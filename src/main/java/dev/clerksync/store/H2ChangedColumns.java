package dev.clerksync.store;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The embedded store's twin of PostgreSQL's {@code clerk_sync_changed_columns} (db/migration/postgresql/V8):
 * the columns of a record whose value a change altered, or, for its insert, the columns set; sorted by
 * name, as PostgreSQL lists them. Compared by value: times by instant, JSON as JSON.
 */
final class H2ChangedColumns {

    private final List<String> columns;
    private final int[] byName;

    /** The table's columns in their order, less the one at {@code left} (change_seq, not a column of the record). */
    H2ChangedColumns(List<String> columns, int left) {
        this.columns = columns;
        this.byName = IntStream.range(0, columns.size()).filter(i -> i != left).boxed()
                .sorted(Comparator.comparing(columns::get)).mapToInt(Integer::intValue).toArray();
    }

    /** For a row before ({@code null} for an insert) and after a change. */
    ArrayNode of(Object[] before, Object[] after) throws SQLException {
        ArrayNode changed = JsonNodeFactory.instance.arrayNode();
        for (int i : byName) {
            if (before == null ? after[i] != null : !same(before[i], after[i])) {
                changed.add(columns.get(i));
            }
        }
        return changed;
    }

    private static boolean same(Object a, Object b) throws SQLException {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
            return x.isEqual(y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y && Arrays.equals(x, y)) {
            return true;
        }
        if (a instanceof byte[] || b instanceof byte[]) {
            // A JSON column: the same document in another spelling is no change.
            return H2ChangeEventTrigger.json(a).equals(H2ChangeEventTrigger.json(b));
        }
        return Objects.equals(a, b);
    }
}
