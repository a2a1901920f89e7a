package dev.clerksync.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The records clerk-sync keeps, each under one name everywhere: its name in the contract (the admin
 * view's {@code kind}, a mapping's {@code record}), its table in the relational store and the
 * collection of the same name in the document store (contract §3, §4, §12), its Clerk id prefix, the
 * type prefix of its events and the actions that write it. This enum is the one list of them; what
 * only one role needs of a kind (a mapping's source columns, a backfill's summary key) stays with
 * that role.
 */
public enum RecordKind {

    USER("user", "users", "user_", "user", SyncAction.UPSERT_USER, SyncAction.DELETE_USER),
    ORGANIZATION("organization", "organizations", "org_", "organization", SyncAction.UPSERT_ORGANIZATION,
            SyncAction.DELETE_ORGANIZATION),
    MEMBERSHIP("membership", "organization_memberships", "orgmem_", "organizationMembership",
            SyncAction.UPSERT_MEMBERSHIP, SyncAction.DELETE_MEMBERSHIP),
    /** Clerk Billing (contract §12): upserted, never deleted. */
    SUBSCRIPTION("subscription", "billing_subscriptions", "csub_", "subscription", SyncAction.UPSERT_SUBSCRIPTION,
            null),
    SUBSCRIPTION_ITEM("subscriptionItem", "billing_subscription_items", "csub_item_", "subscriptionItem",
            SyncAction.UPSERT_SUBSCRIPTION_ITEM, null),
    PAYMENT_ATTEMPT("paymentAttempt", "billing_payment_attempts", "pa_", "paymentAttempt",
            SyncAction.UPSERT_PAYMENT_ATTEMPT, null),
    /** One entry per audited delivery, keyed by the svix-id: written with every action, never deleted, only erased. */
    AUDIT("audit", "audit_log", null, null, null, null);

    private static final List<RecordKind> CLERK_RECORDS =
            Arrays.stream(values()).filter(kind -> kind != AUDIT).toList();
    // An EnumSet, so that asking whether it holds null (the kind of no record) answers false.
    private static final Set<RecordKind> BILLING =
            Collections.unmodifiableSet(EnumSet.of(SUBSCRIPTION, SUBSCRIPTION_ITEM, PAYMENT_ATTEMPT));

    private final String label;
    private final String table;
    private final String idPrefix;
    private final String eventKind;
    private final SyncAction upsert;
    private final SyncAction delete;

    RecordKind(String label, String table, String idPrefix, String eventKind, SyncAction upsert, SyncAction delete) {
        this.label = label;
        this.table = table;
        this.idPrefix = idPrefix;
        this.eventKind = eventKind;
        this.upsert = upsert;
        this.delete = delete;
    }

    /** Its name in the contract: {@code user}, …, {@code subscriptionItem} (as Clerk's event types spell it), {@code audit}. */
    public String label() {
        return label;
    }

    /** Its table in the relational store. */
    public String table() {
        return table;
    }

    /** Its collection in the document store, named as its table (contract §4). */
    public String collection() {
        return table;
    }

    /** The column (and, as {@code _id}, the field) that holds the key: the Clerk id, or for audit the svix-id. */
    public String idColumn() {
        return this == AUDIT ? "event_id" : "id";
    }

    /**
     * The type prefix of its webhook events and of its change events ({@code subscriptionItem.changed}):
     * a membership's is {@code organizationMembership}, as Clerk spells it. Null for audit.
     */
    public String eventKind() {
        return eventKind;
    }

    /** The action that upserts a record of this kind; null for audit. */
    public SyncAction upsert() {
        return upsert;
    }

    /** The action that deletes a record of this kind; null for audit and the billing kinds (never deleted). */
    public SyncAction delete() {
        return delete;
    }

    /** Whether other records belong to it (memberships, billing records): a user or an organization. */
    public boolean owns() {
        return this == USER || this == ORGANIZATION;
    }

    /** The Clerk objects, each with a Clerk id: every kind but audit. */
    public static List<RecordKind> clerkRecords() {
        return CLERK_RECORDS;
    }

    /** The three Clerk Billing records (contract §12), in this enum's order. */
    public static Set<RecordKind> billing() {
        return BILLING;
    }

    /** The kind its contract name names ({@link #label()}), if any. */
    public static Optional<RecordKind> labelled(String label) {
        return Arrays.stream(values()).filter(kind -> kind.label.equals(label)).findFirst();
    }

    /**
     * The kind Clerk's id prefix names; empty for an id without a known prefix (then each kind is
     * looked up). The longest prefix wins: {@code csub_item_} starts with {@code csub_}.
     */
    public static Optional<RecordKind> byPrefix(String id) {
        return CLERK_RECORDS.stream().filter(kind -> id.startsWith(kind.idPrefix))
                .max(Comparator.comparingInt(kind -> kind.idPrefix.length()));
    }

    /** The kind an action writes, or null when it writes no record (it is only audited). */
    public static RecordKind of(SyncAction action) {
        for (RecordKind kind : CLERK_RECORDS) {
            if (kind.upsert == action || kind.delete == action) {
                return kind;
            }
        }
        return null;
    }

    /** The kind whose events have this type ({@code subscriptionItem.updated}), or null. */
    public static RecordKind ofEventType(String type) {
        for (RecordKind kind : CLERK_RECORDS) {
            if (type.startsWith(kind.eventKind + ".")) {
                return kind;
            }
        }
        return null;
    }

    /** The kind of this table (lower case), or null. */
    public static RecordKind ofTable(String table) {
        for (RecordKind kind : values()) {
            if (kind.table.equals(table)) {
                return kind;
            }
        }
        return null;
    }
}
