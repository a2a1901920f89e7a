package dev.clerksync.admin;

import java.util.Optional;

/** The records the admin view can show, each with its table (and collection) and Clerk id prefix. */
public enum RecordKind {
    USER("user", "users", "user_"),
    ORGANIZATION("organization", "organizations", "org_"),
    MEMBERSHIP("membership", "organization_memberships", "orgmem_"),
    // Clerk Billing (docs/billing.md); csub_item_ before csub_, which it starts with.
    SUBSCRIPTION_ITEM("subscriptionItem", "billing_subscription_items", "csub_item_"),
    SUBSCRIPTION("subscription", "billing_subscriptions", "csub_"),
    PAYMENT_ATTEMPT("paymentAttempt", "billing_payment_attempts", "pa_");

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
    /** Whether other records belong to it (memberships, billing records): a user or an organization. */
    public boolean owns() {
        return this == USER || this == ORGANIZATION;
    }

    public static Optional<RecordKind> byPrefix(String id) {
        for (RecordKind kind : values()) {
            if (id.startsWith(kind.prefix)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
