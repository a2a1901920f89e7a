package dev.clerksync.store;

/**
 * The exchange properties a delivery carries from the router through the deciding and following
 * stores to the answer: one home for each name (the routes use the same strings).
 */
public final class SyncConstants {

    /** What the stores do with the event: a {@link SyncAction} name, set by the event's route. */
    public static final String ACTION = "clerkSyncAction";

    /** The outcome the deciding store gave the delivery: {@code applied}, {@code stale} or {@code ignored}. */
    public static final String OUTCOME = "clerkSyncOutcome";

    /**
     * Whether this request's audit insert completed the delivery in the last store it reached. Only
     * such a request answers the outcome; every other request for the svix-id answers {@code duplicate}.
     */
    public static final String COMPLETED = "clerkSyncCompleted";

    /**
     * Whether the deciding store recorded the delivery's payload erased (its user was deleted): the
     * follower then records it erased too.
     */
    public static final String ERASED = "clerkSyncErased";

    /**
     * The ids of the memberships a user's or organization's deletion deleted in the deciding store
     * (its cascade): the follower deletes the same ones.
     */
    public static final String CASCADED = "clerkSyncCascaded";

    /**
     * Whether the deciding store left a user's erasure for the chunks after the answer (a user with
     * many audit entries): the follower leaves it to them too.
     */
    public static final String ERASURE_DEFERRED = "clerkSyncErasureDeferred";

    /**
     * The svix-ids of the audit entries a user's deletion left erased in the deciding store (when it
     * did not leave the erasure for later): the follower erases the same ones, by id.
     */
    public static final String ERASED_ENTRIES = "clerkSyncErasedEntries";

    /**
     * Whether this request's audit insert in MongoDB succeeded, as its follower found (kept across
     * the deliver route's retries of the follow): a retry that then finds the entry there knows it
     * as its own, and still completes the delivery (the document store's MongoWriter).
     */
    public static final String MONGODB_AUDITED = "clerkSyncMongodbAudited";

    /** The store at work on the delivery, named by its route; a failure there is answered 503. */
    public static final String STORE = "clerkSyncStore";

    private SyncConstants() {
    }
}
