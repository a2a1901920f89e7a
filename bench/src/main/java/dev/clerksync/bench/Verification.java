package dev.clerksync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one store compares with the model: every user the run touched must be in the model's state,
 * no other user of the run may exist, and the audit log must hold each svix-id sent exactly once.
 */
record Verification(String store, int usersExpected, int usersMatching, List<String> mismatches,
                    long auditExpected, long auditFound) {

    private static final int EXAMPLES = 5;

    static Verification compare(String store, Map<String, ExpectedUser> expected, Map<String, ExpectedUser> stored,
                                long auditExpected, long auditFound) {
        int matching = 0;
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, ExpectedUser> user : expected.entrySet()) {
            ExpectedUser found = stored.get(user.getKey());
            if (user.getValue().equals(found)) {
                matching++;
            } else {
                mismatches.add(user.getKey() + ": expected " + user.getValue() + ", found " + found);
            }
        }
        stored.keySet().stream()
                .filter(id -> !expected.containsKey(id))
                .forEach(id -> mismatches.add(id + ": not in the model, found " + stored.get(id)));
        return new Verification(store, expected.size(), matching, mismatches, auditExpected, auditFound);
    }

    /** A store that could not be read back: the run is not a result. */
    static Verification unreadable(String store, Exception failure) {
        return new Verification(store, 0, 0, List.of("could not be read: " + failure), 0, -1);
    }

    boolean ok() {
        return mismatches.isEmpty() && auditFound == auditExpected;
    }

    String summary() {
        return String.format("%s %s (users %d/%d match, audit_log %d/%d)", store, ok() ? "OK" : "FAILED",
                usersMatching, usersExpected, auditFound, auditExpected);
    }

    List<String> examples() {
        return mismatches.subList(0, Math.min(EXAMPLES, mismatches.size()));
    }
}
