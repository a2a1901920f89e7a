package dev.clerksync.backfill;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.clerksync.backfill.BackfillEvents.StoredRecord;
import dev.clerksync.backfill.BackfillSummary.Kind;
import dev.clerksync.backfill.DriftReport.DriftClass;
import dev.clerksync.event.ClerkEvent;

/**
 * One backfill run: users page by page, then organizations page by page with each one's
 * memberships, then Clerk Billing's subscription items page by page with each new payer's
 * subscription, then (with --reconcile) the users, organizations and memberships Clerk no longer
 * has. After every page the checkpoint is saved, so that --resume continues at the first page not
 * complete in every store.
 * A reconcile pass also sorts what it meets into a {@link DriftReport}; a dry run ({@code
 * --dry-run}) only does that: it reads the stores and writes nothing, not even its run's row.
 */
final class Backfill {

    static final int PAGE = ClerkApi.MAX_PAGE_SIZE;
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final BackfillOptions options;
    private final ClerkApi api;
    private final BackfillStores stores;
    private final BackfillSummary summary;
    private final DriftCheck drift;
    private final PrintStream err;
    /**
     * A dry run's seen ids, kept in memory as it may not write them to {@code backfill_seen} (about
     * 100 bytes an id: a million users take some 100 MB).
     */
    private final Map<Kind, Set<String>> listed = new EnumMap<>(Kind.class);

    private final Instant began = Instant.now();
    private String run;
    private Instant startedAt;
    /** Where the run has decided to; the document store and the saved checkpoint follow a page behind. */
    private BackfillCheckpoint checkpoint;
    /** The last checkpoint saved (the follower saves them), with its JSON: where --resume continues. */
    private volatile BackfillCheckpoint saved;
    private volatile String savedJson;
    private PageFollower follower;
    private boolean decidedAPage;

    /** {@code drift}: where a reconcile pass reports what it found; null for a pass without --reconcile. */
    Backfill(BackfillOptions options, ClerkApi api, BackfillStores stores, BackfillSummary summary, DriftCheck drift,
             PrintStream err) {
        this.options = options;
        this.api = api;
        this.stores = stores;
        this.summary = summary;
        if (options.reconcile() && drift == null) {
            throw new IllegalArgumentException("a reconcile pass reports its drift: it needs a DriftCheck");
        }
        this.drift = drift;
        this.err = err;
        for (Kind kind : Kind.values()) {
            listed.put(kind, new HashSet<>());
        }
    }

    /** Runs the backfill; the id of the run. Throws on an API or store error, after marking the run failed. */
    String run() throws SQLException {
        if (options.resume()) {
            BackfillStores.UnfinishedRun unfinished = stores.lastUnfinishedRun();
            if (unfinished == null) {
                throw new NothingToResumeException();
            }
            run = unfinished.run();
            startedAt = unfinished.startedAt();
            checkpoint = BackfillCheckpoint.parse(unfinished.checkpoint());
            BackfillCheckpoint.restoreCounts(unfinished.checkpoint(), summary);
            savedJson = unfinished.checkpoint();
            err.println("backfill: resuming run " + run + " at " + checkpoint.describe());
        } else {
            startedAt = Instant.now();
            run = RUN_ID.format(startedAt) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
            checkpoint = start();
            savedJson = checkpointJson();
            if (!options.dryRun()) {
                stores.startRun(run, startedAt, checkpoint.scope(), savedJson);
            }
        }
        saved = checkpoint;
        follower = new PageFollower(stores.follows() && !options.dryRun());
        try {
            if (checkpoint.phase() == BackfillCheckpoint.Phase.USERS) {
                users();
                checkpoint = checkpoint.next();
            }
            if (checkpoint.phase() == BackfillCheckpoint.Phase.ORGANIZATIONS) {
                organizations();
                checkpoint = checkpoint.next();
            }
            if (checkpoint.phase() == BackfillCheckpoint.Phase.BILLING) {
                billing();
                checkpoint = checkpoint.next();
            }
            if (checkpoint.phase() == BackfillCheckpoint.Phase.RECONCILE) {
                saveCheckpoint();
                // The reconcile's deletions go through the stores one by one, after every page.
                follower.finish();
                reconcile();
                checkpoint = checkpoint.next();
            }
            follower.finish();
            if (!options.dryRun()) {
                stores.finishRun(run, "done", checkpointJson());
            }
            return run;
        } catch (RuntimeException | SQLException e) {
            follower.settle();
            markFailed();
            throw e;
        } finally {
            follower.close();
        }
    }

    /**
     * The users' pages, each read from Clerk while the one before it is written (5–11 % faster
     * against the local fake API, bench/RESULTS.md "Set-based rounds"; more against Clerk, whose
     * answers take longer to come). A page that could not be read fails the run once the page
     * before it is written and checkpointed, as reading one after the other would.
     */
    private void users() throws SQLException {
        PageApplier users = new PageApplier(Kind.USERS);
        summary.of(Kind.USERS).total(api.countUsers());
        ExecutorService reader = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "clerk-sync-backfill-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long offset = checkpoint.offset();
            Future<ArrayNode> next = readUsers(reader, offset);
            while (true) {
                ArrayNode page = resultOf(next);
                if (page.size() == PAGE) {
                    next = readUsers(reader, offset + page.size());
                }
                users.apply(page);
                offset += page.size();
                checkpoint = checkpoint.at(offset);
                saveCheckpoint();
                if (page.size() < PAGE) {
                    return;
                }
            }
        } finally {
            reader.shutdownNow();
        }
    }

    private Future<ArrayNode> readUsers(ExecutorService reader, long offset) {
        return reader.submit(() -> api.usersPage(offset, PAGE));
    }

    /** A stage's result (the page read, a page followed), or its failure as it is (a ClerkApiException, say). */
    static <T> T resultOf(Future<T> stage) {
        try {
            return stage.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a page", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void organizations() throws SQLException {
        PageApplier organizations = new PageApplier(Kind.ORGANIZATIONS);
        PageApplier memberships = new PageApplier(Kind.MEMBERSHIPS);
        long offset = checkpoint.offset();
        while (true) {
            ClerkApi.Page page = api.organizationsPage(offset, PAGE);
            summary.of(Kind.ORGANIZATIONS).total(page.totalCount());
            organizations.apply(page.data());
            for (JsonNode organization : page.data()) {
                membershipsOf(organization.path("id").asText(), memberships);
            }
            offset += page.data().size();
            // Only now is the page complete with its memberships: a resume reads it again until then.
            checkpoint = checkpoint.at(offset);
            saveCheckpoint();
            if (page.data().size() < PAGE) {
                return;
            }
        }
    }

    private void membershipsOf(String organizationId, PageApplier memberships) throws SQLException {
        long offset = 0;
        while (true) {
            ClerkApi.Page page = api.membershipsPage(organizationId, offset, PAGE);
            if (offset == 0) {
                summary.of(Kind.MEMBERSHIPS).addToTotal(page.totalCount());
            }
            memberships.apply(page.data());
            offset += page.data().size();
            if (page.data().size() < PAGE) {
                return;
            }
        }
    }

    /**
     * Subscription items page by page and, for each payer first seen on a page, the payer's
     * subscription (a 404 is a payer without one). The page's items go first, each with the id of the
     * subscription that lists it; then the subscriptions. The checkpoint follows the page once both
     * are written, so a resume reads it again until then; the payers seen live only in memory, so a
     * resumed run asks again for a subscription it may have written (unchanged the second time).
     */
    private void billing() throws SQLException {
        PageApplier items = new PageApplier(Kind.SUBSCRIPTION_ITEMS);
        PageApplier subscriptions = new PageApplier(Kind.SUBSCRIPTIONS);
        Set<String> payersSeen = new HashSet<>();
        Map<String, String> subscriptionOfItem = new HashMap<>();
        long offset = checkpoint.offset();
        while (true) {
            ClerkApi.Page page = api.subscriptionItemsPage(offset, PAGE);
            summary.of(Kind.SUBSCRIPTION_ITEMS).total(page.totalCount());
            ArrayNode payersSubscriptions = page.data().arrayNode();
            for (JsonNode item : page.data()) {
                Optional<JsonNode> subscription = newPayersSubscription(item, payersSeen);
                subscription.ifPresent(found -> {
                    payersSubscriptions.add(BackfillEvents.asSubscriptionEventData(found, item.path("payer")));
                    for (JsonNode listed : found.path("subscription_items")) {
                        subscriptionOfItem.put(listed.path("id").asText(), found.path("id").asText(null));
                    }
                });
            }
            ArrayNode pageItems = page.data().arrayNode();
            for (JsonNode item : page.data()) {
                pageItems.add(BackfillEvents.asItemEventData(item, subscriptionOfItem.get(item.path("id").asText())));
            }
            items.apply(pageItems);
            subscriptions.apply(payersSubscriptions);
            offset += page.data().size();
            checkpoint = checkpoint.at(offset);
            saveCheckpoint();
            if (page.data().size() < PAGE) {
                return;
            }
        }
    }

    /**
     * The subscription of an item's payer, the first time the run meets that payer (a user or an
     * organization, by {@code payer.user_id} or {@code payer.organization_id}); empty for a payer met
     * before, a payer without a subscription (404), or an item that names neither.
     */
    private Optional<JsonNode> newPayersSubscription(JsonNode item, Set<String> payersSeen) {
        String userId = ClerkEvent.payerUserId(item);
        if (userId != null) {
            return payersSeen.add(userId) ? api.userSubscription(userId) : Optional.empty();
        }
        String organizationId = ClerkEvent.payerOrganizationId(item);
        if (organizationId != null) {
            return payersSeen.add(organizationId) ? api.organizationSubscription(organizationId) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * After a complete pass: each live stored record the pass did not see is deleted when Clerk
     * answers 404 for it, asked one by one. Organizations first (their deletion cascades to their
     * memberships), then users, then the memberships left. A dry run deletes nothing, so it also
     * counts the memberships of an organization that is gone as gone themselves.
     */
    private void reconcile() throws SQLException {
        List<Kind> kinds = new ArrayList<>();
        if (checkpoint.organizations()) {
            kinds.add(Kind.ORGANIZATIONS);
        }
        if (checkpoint.users()) {
            kinds.add(Kind.USERS);
        }
        if (checkpoint.organizations()) {
            kinds.add(Kind.MEMBERSHIPS);
        }
        for (Kind kind : kinds) {
            String after = "";
            List<StoredRecord> candidates;
            do {
                // A dry run saw nothing in backfill_seen: every live record comes, the ones it listed are skipped here.
                candidates = stores.unseenLive(run, kind, after, PAGE);
                for (StoredRecord record : candidates) {
                    after = record.id();
                    if (!listed.get(kind).contains(record.id())) {
                        reconcile(kind, record);
                    }
                }
            } while (candidates.size() == PAGE);
        }
    }

    private void reconcile(Kind kind, StoredRecord record) {
        boolean disagreed = drift.unlistedDisagree(kind, record.id());
        if (!goneFromClerk(kind, record)) {
            return;
        }
        drift.goneFromClerk(kind, record.id());
        if (!options.dryRun() && stores.deleteGone(kind, BackfillEvents.deleted(kind, run, record, startedAt))) {
            summary.of(kind).deleted(1);
            drift.report().repair(kind, DriftClass.GONE_FROM_CLERK);
            if (disagreed) {
                drift.report().repair(kind, DriftClass.STORES_DISAGREE);
            }
        }
    }

    private boolean goneFromClerk(Kind kind, StoredRecord record) {
        Optional<JsonNode> found = switch (kind) {
            case USERS -> api.user(record.id());
            case ORGANIZATIONS -> api.organization(record.id());
            case MEMBERSHIPS -> api.membership(record.organizationId(), record.userId());
            case SUBSCRIPTIONS, SUBSCRIPTION_ITEMS -> throw new IllegalArgumentException("no reconcile of " + kind.key());
        };
        return found.isEmpty();
    }

    /** Saves the checkpoint once the pages before it are written in both stores. */
    private void saveCheckpoint() {
        if (options.dryRun()) {
            return;
        }
        BackfillCheckpoint reached = checkpoint;
        String json = checkpointJson();
        follower.then(() -> {
            stores.saveCheckpoint(run, json);
            savedJson = json;
            saved = reached;
        });
    }

    /** The checkpoint, with what the reconcile pass found so far (the admin view shows a finished run's). */
    private String checkpointJson() {
        return checkpoint.toJson(summary, drift == null ? null : drift.report());
    }

    /** Marks the run failed at its last saved checkpoint: a page decided but not followed is read again. */
    private void markFailed() {
        if (options.dryRun()) {
            return;
        }
        try {
            stores.finishRun(run, "failed", savedJson);
        } catch (RuntimeException e) {
            err.println("backfill: could not mark run " + run + " as failed: " + e.getClass().getSimpleName());
        }
    }

    /** Time since this process started the run (or continued it), for the summary. */
    Duration elapsed() {
        return Duration.between(began, Instant.now());
    }

    /**
     * Whether the run must go on with {@code --resume}: it decided a page, or it continued an earlier
     * run. Only a resume follows again what the run decided but MongoDB may lack (a new run finds
     * those objects unchanged in PostgreSQL, and leaves them). A run that stopped before deciding
     * anything is simply run again.
     */
    boolean resumable() {
        return saved != null && !options.dryRun() && (options.resume() || decidedAPage);
    }

    /**
     * A new run's first checkpoint. A dry run leaves billing out: it only reports the drift of what a
     * reconcile pass covers, and that is not billing (nothing deletes a billing record).
     */
    private BackfillCheckpoint start() {
        return BackfillCheckpoint.start(options.users(), options.organizations(), options.billing() && !options.dryRun(),
                options.reconcile());
    }

    /** The run's id, or null when it never started. */
    String runId() {
        return run;
    }

    /** Applies pages of one kind and adds what they did to the summary. */
    private final class PageApplier {
        private final Kind kind;

        PageApplier(Kind kind) {
            this.kind = kind;
        }

        void apply(ArrayNode page) throws SQLException {
            summary.of(kind).fetched(page.size());
            Instant receivedAt = Instant.now();
            List<ClerkEvent> events = new ArrayList<>(page.size());
            for (JsonNode object : page) {
                ClerkEvent event = BackfillEvents.backfilled(kind, run, object, receivedAt);
                if (event == null) {
                    throw new ClerkApiException("", "Clerk listed a " + kind.record().eventKind()
                            + " without an id or updated_at");
                }
                events.add(event);
            }
            if (events.isEmpty()) {
                return;
            }
            Map<String, List<DriftClass>> found = new HashMap<>();
            if (drift != null && kind.reconciled()) {
                for (ClerkEvent event : events) {
                    found.put(event.subjectId(), drift.listed(kind, event));
                }
            }
            if (options.dryRun()) {
                events.forEach(event -> listed.get(kind).add(event.subjectId()));
                return;
            }
            BackfillStores.DecidedPage decided = stores.decidePage(run, kind, events, checkpoint.reconcile() && kind.reconciled());
            decidedAPage = true;
            summary.of(kind).applied(decided.applied());
            summary.of(kind).unchanged(decided.unchanged());
            // What an applied object was found to be is what it repaired: the follower rewrites MongoDB's
            // copy too (or the run fails, and these counts are not saved).
            for (String id : decided.appliedIds()) {
                found.getOrDefault(id, List.of()).forEach(repaired -> drift.report().repair(kind, repaired));
            }
            if (!decided.toFollow().isEmpty()) {
                follower.then(() -> stores.follow(decided.toFollow()));
            }
        }
    }

    /** --resume found no run to continue. */
    static final class NothingToResumeException extends RuntimeException {
        NothingToResumeException() {
            super("there is no unfinished backfill run to resume");
        }
    }
}
