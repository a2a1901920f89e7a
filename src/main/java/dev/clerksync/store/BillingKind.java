package dev.clerksync.store;

import dev.clerksync.event.ClerkEvent;

/** The three Clerk Billing records (CONTRACT §12): their table (and collection), action and change-event kind. */
public enum BillingKind {

    SUBSCRIPTION("billing_subscriptions", SyncAction.UPSERT_SUBSCRIPTION, "subscription"),
    SUBSCRIPTION_ITEM("billing_subscription_items", SyncAction.UPSERT_SUBSCRIPTION_ITEM, "subscriptionItem"),
    PAYMENT_ATTEMPT("billing_payment_attempts", SyncAction.UPSERT_PAYMENT_ATTEMPT, "paymentAttempt");

    private final String table;
    private final SyncAction action;
    private final String eventKind;

    BillingKind(String table, SyncAction action, String eventKind) {
        this.table = table;
        this.action = action;
        this.eventKind = eventKind;
    }

    /** The table in the relational store, and the collection in the document store. */
    public String table() {
        return table;
    }

    public SyncAction action() {
        return action;
    }

    /** The type prefix of its webhook events and of its change events ({@code subscriptionItem.changed}). */
    public String eventKind() {
        return eventKind;
    }

    public static BillingKind ofEventType(String type) {
        if (type.startsWith(ClerkEvent.SUBSCRIPTION_ITEM_PREFIX)) {
            return SUBSCRIPTION_ITEM;
        }
        if (type.startsWith(ClerkEvent.SUBSCRIPTION_PREFIX)) {
            return SUBSCRIPTION;
        }
        if (type.startsWith(ClerkEvent.PAYMENT_ATTEMPT_PREFIX)) {
            return PAYMENT_ATTEMPT;
        }
        throw new IllegalArgumentException("not a billing event type: " + type);
    }

    /** The kind of an action, or null when it is not a billing upsert. */
    public static BillingKind of(SyncAction action) {
        for (BillingKind kind : values()) {
            if (kind.action == action) {
                return kind;
            }
        }
        return null;
    }

    public static BillingKind ofTable(String table) {
        for (BillingKind kind : values()) {
            if (kind.table.equals(table)) {
                return kind;
            }
        }
        return null;
    }
}
