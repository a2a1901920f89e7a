package dev.clerksync.mapping;

import java.util.List;
import java.util.Locale;

import dev.clerksync.store.SyncAction;

/**
 * What a mapping's {@code record} names: a Clerk record kind and its own table (contract §3), whose
 * columns are the sources a mapping may read. Each column's name in the decider's parameters
 * ({@code SqlParameters}) is its camelCase form, but for the record's id ({@code subjectId}) and
 * its last event ({@code eventId}): one rule, so that a live delivery and a row read back from the
 * table give the same source row ({@link SourceRow}).
 */
public enum RecordKind {

    USER("users", "users", SyncAction.UPSERT_USER, SyncAction.DELETE_USER, List.of("id", "email", "phone_number",
            "first_name", "last_name", "username", "image_url", "created_at", "updated_at", "deleted_at",
            "last_event_at", "last_event_id", "data")),
    ORGANIZATION("organizations", "organizations", SyncAction.UPSERT_ORGANIZATION, SyncAction.DELETE_ORGANIZATION,
            List.of("id", "name", "slug", "image_url", "created_by", "created_at", "updated_at", "deleted_at",
                    "last_event_at", "last_event_id", "data")),
    MEMBERSHIP("organization_memberships", "organization_memberships", SyncAction.UPSERT_MEMBERSHIP,
            SyncAction.DELETE_MEMBERSHIP, List.of("id", "organization_id", "user_id", "role", "created_at",
            "updated_at", "deleted_at", "last_event_at", "last_event_id", "data")),
    /** Clerk Billing (contract §12): upserted, never deleted. */
    SUBSCRIPTION("billing_subscriptions", "billing_subscriptions", SyncAction.UPSERT_SUBSCRIPTION, null,
            List.of("id", "status", "payer_id", "user_id", "organization_id", "active_at", "canceled_at", "ended_at",
                    "past_due_at", "created_at", "updated_at", "last_event_at", "last_event_id", "data")),
    /** Written by its own events; an item embedded in a subscription event is not a delivery of its own here. */
    SUBSCRIPTION_ITEM("billing_subscription_items", "billing_subscription_items", SyncAction.UPSERT_SUBSCRIPTION_ITEM,
            null, List.of("id", "subscription_id", "status", "plan_id", "plan_slug", "interval", "is_free_trial",
                    "period_start", "period_end", "user_id", "organization_id", "created_at", "updated_at",
                    "last_event_at", "last_event_id", "data")),
    /** One row per audited delivery, keyed by the svix-id; never deleted, only erased. */
    AUDIT("audit_log", "audit_log", null, null, List.of("event_id", "event_type", "subject_id", "user_id",
            "event_at", "received_at", "outcome", "payload"));

    private final String table;
    private final String collection;
    private final SyncAction upsert;
    private final SyncAction delete;
    private final List<String> columns;

    RecordKind(String table, String collection, SyncAction upsert, SyncAction delete, List<String> columns) {
        this.table = table;
        this.collection = collection;
        this.upsert = upsert;
        this.delete = delete;
        this.columns = columns;
    }

    /** The kind a mapping file names, or null. */
    static RecordKind named(String name) {
        for (RecordKind kind : values()) {
            if (kind.yamlName().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    /** Its name in a mapping file: {@code user}, …, {@code subscriptionItem} (as Clerk's event types spell it). */
    String yamlName() {
        return this == SUBSCRIPTION_ITEM ? "subscriptionItem" : name().toLowerCase(Locale.ROOT);
    }

    /** clerk-sync's own table (and collection) of this kind. */
    public String table() {
        return table;
    }

    public String collection() {
        return collection;
    }

    /** The action that upserts a record of this kind; null for audit. */
    SyncAction upsert() {
        return upsert;
    }

    /** The action that deletes a record of this kind; null for audit and the billing kinds (never deleted). */
    SyncAction delete() {
        return delete;
    }

    List<String> columns() {
        return columns;
    }

    /** The column that holds the key: the Clerk id, or for audit the svix-id. */
    String idColumn() {
        return this == AUDIT ? "event_id" : "id";
    }

    /** The JSON column {@code data.<path>} reads: the Clerk object, or for audit the stored event. */
    String jsonColumn() {
        return this == AUDIT ? "payload" : "data";
    }

    /** A column's name among the decider's parameters. */
    static String parameterName(String column) {
        if (column.equals("id")) {
            return "subjectId";
        }
        if (column.equals("last_event_id")) {
            return "eventId";
        }
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
