package dev.clerksync.admin;

import java.util.Optional;

/** The records the admin view can show, each with its table (and collection) and Clerk id prefix. */
public enum RecordKind {
    USER("user", "users", "user_"),
    ORGANIZATION("organization", "organizations", "org_"),
    MEMBERSHIP("membership", "organization_memberships", "orgmem_");

    private final String label;
    private final String table;
    private final String prefix;

    RecordKind(String label, String table, String prefix) {
        this.label = label;
        this.table = table;
        this.prefix = prefix;
    }

    public String label() {
        return label;
    }

    /** The table in the relational store and the collection in MongoDB: they share names. */
    public String table() {
        return table;
    }

    /** The kind Clerk's id prefix names; empty for an id without a known prefix (then each kind is looked up). */
    public static Optional<RecordKind> byPrefix(String id) {
        for (RecordKind kind : values()) {
            if (id.startsWith(kind.prefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
