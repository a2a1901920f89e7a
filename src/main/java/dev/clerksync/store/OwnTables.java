package dev.clerksync.store;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tables clerk-sync's migrations create and its writers own, and the collections of the same
 * names: no mapping may write into one (a mapped write would race the writers' own, and a remap
 * would overwrite what they decided). Kept equal to the migrations by a test.
 */
public final class OwnTables {

    /** The records' tables ({@link RecordKind}) and the service's own bookkeeping. */
    public static final Set<String> NAMES = Stream.concat(Arrays.stream(RecordKind.values()).map(RecordKind::table),
                    Stream.of("change_events", "cascade_work", "backfill_runs", "backfill_seen", "clerk_sync_deployment",
                            "clerk_sync_schema_history"))
            .collect(Collectors.toUnmodifiableSet());

    private OwnTables() {
    }

    /**
     * A column of these tables in camelCase ({@code first_name} → {@code firstName}): its field in
     * the document store (contract §4), and its name among the decider's statement parameters.
     */
    public static String camelCase(String column) {
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
