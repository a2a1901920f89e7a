package dev.clerksync.store;

import java.util.Locale;

/**
 * What the stores do with a delivery. The routes of {@code routes/*-events.camel.yaml} name one in
 * the {@value SyncConstants#ACTION} property; its {@link #fileName()} is the SQL statement the
 * relational store runs ({@code sql/<dialect>/<name>.sql}), and the document store's MongoDocuments builds
 * MongoDB's writes for it. This enum is the one list of them.
 */
public enum SyncAction {

    UPSERT_USER,
    DELETE_USER,
    UPSERT_ORGANIZATION,
    DELETE_ORGANIZATION,
    UPSERT_MEMBERSHIP,
    DELETE_MEMBERSHIP,
    UPSERT_SUBSCRIPTION,
    UPSERT_SUBSCRIPTION_ITEM,
    UPSERT_PAYMENT_ATTEMPT,
    AUDIT_ONLY;

    /** The action's name in the routes and its SQL file's name, e.g. {@code upsert-user}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SyncAction named(String name) {
        for (SyncAction action : values()) {
            if (action.fileName().equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("no such action: " + name);
    }
}
