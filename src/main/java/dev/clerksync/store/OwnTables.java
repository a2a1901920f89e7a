package dev.clerksync.store;

import java.util.Set;

/**
 * The tables clerk-sync's migrations create and its writers own, and the collections of the same
 * names: no mapping may write into one (a mapped write would race the writers' own, and a remap
 * would overwrite what they decided). Kept equal to the migrations by a test.
 */
public final class OwnTables {

    public static final Set<String> NAMES = Set.of("users", "organizations", "organization_memberships", "audit_log",
            "billing_subscriptions", "billing_subscription_items", "billing_payment_attempts", "change_events",
            "cascade_work", "backfill_runs", "backfill_seen", "clerk_sync_deployment", "clerk_sync_schema_history");

    private OwnTables() {
    }
}
