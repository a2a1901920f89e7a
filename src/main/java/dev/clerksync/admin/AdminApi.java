package dev.clerksync.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;

/**
 * The admin JSON API (docs/admin-view.md) over the configured stores, the deciding store first. Each method
 * answers the JSON body, or null for a 404.
 */
public final class AdminApi {

    /** How many of a record's deliveries its page lists. */
    static final int RECORD_DELIVERIES = 50;

    private final List<AdminStoreReads> stores;
    private final SqlAdminReads sql;
    private final ChangeEventBacklog backlog;
    private final MappedReads mapped;
    private final Clock clock;

    public AdminApi(List<AdminStoreReads> stores, SqlAdminReads sql, ChangeEventBacklog backlog, MappedReads mapped,
                    Clock clock) {
        this.stores = List.copyOf(stores);
        this.sql = sql;
        this.backlog = backlog;
        this.mapped = mapped;
        this.clock = clock;
    }

    /**
     * A page of deliveries from every store's audit log. Each store gives its first {@code limit + 1}
     * entries in the same order; the merged first {@code limit} are then exact (an entry among the
     * first limit + 1 of the union is among the first limit + 1 of each store holding it), and the
     * extra one tells whether there is a next page.
     */
    public ObjectNode deliveries(DeliveryFilter filter) {
        Map<String, Map<String, String>> outcomes = new LinkedHashMap<>();
        Map<String, AuditEntry> entries = new LinkedHashMap<>();
        for (AdminStoreReads store : stores) {
            for (AuditEntry entry : store.deliveries(filter, filter.limit() + 1)) {
                entries.putIfAbsent(entry.eventId(), entry);
                outcomes.computeIfAbsent(entry.eventId(), id -> new LinkedHashMap<>()).put(store.name(), entry.outcome());
            }
        }
        List<AuditEntry> merged = new ArrayList<>(entries.values());
        merged.sort(Comparator.comparing(AuditEntry::cursor, DeliveryCursor::compareNewestFirst));
        List<AuditEntry> page = merged.subList(0, Math.min(filter.limit(), merged.size()));
        ArrayNode deliveries = JsonValues.array();
        for (AuditEntry entry : page) {
            deliveries.add(deliveryLine(entry, outcomes.get(entry.eventId())));
        }
        ObjectNode answer = JsonValues.object();
        answer.set("deliveries", deliveries);
        if (merged.size() > filter.limit()) {
            answer.put("next", page.get(page.size() - 1).cursor().encode());
        } else {
            answer.putNull("next");
        }
        return answer;
    }

    /** One delivery as every store audited it; null when no store has it. */
    public ObjectNode delivery(String eventId) {
        ObjectNode byStore = JsonValues.object();
        boolean found = false;
        for (AdminStoreReads store : stores) {
            ObjectNode entry = store.delivery(eventId);
            found |= entry != null;
            byStore.set(store.name(), entry == null ? NullNode.instance : entry);
        }
        if (!found) {
            return null;
        }
        ObjectNode answer = JsonValues.object();
        answer.set("stores", byStore);
        return answer;
    }

    /**
     * A user, organization, membership or billing record by its Clerk id, every store's copy side by
     * side, with a user's or an organization's memberships and billing records; null when no store has it.
     */
    public ObjectNode record(String id) {
        Optional<RecordKind> kind = RecordKind.byPrefix(id).or(() -> kindStored(id));
        if (kind.isEmpty()) {
            return null;
        }
        ObjectNode byStore = JsonValues.object();
        List<ObjectNode> comparable = new ArrayList<>();
        boolean found = false;
        for (AdminStoreReads store : stores) {
            ObjectNode copy = store.record(kind.get(), id);
            found |= copy != null;
            byStore.set(store.name(), copy == null ? NullNode.instance : copy);
            comparable.add(store.comparable(kind.get(), id));
        }
        if (!found) {
            return null;
        }
        List<String> differences = StoreComparison.differences(comparable);
        ObjectNode answer = JsonValues.object();
        answer.put("kind", kind.get().label());
        answer.put("id", id);
        answer.set("stores", byStore);
        answer.put("agree", differences.isEmpty());
        ArrayNode differing = answer.putArray("differences");
        differences.forEach(differing::add);
        ArrayNode memberships = answer.putArray("memberships");
        ArrayNode billing = answer.putArray("billing");
        if (kind.get().owns()) {
            stores.get(0).memberships(kind.get(), id).forEach(memberships::add);
            stores.get(0).billing(kind.get(), id).forEach(billing::add);
        }
        // The application's own rows and documents of this record, beside what clerk-sync's own copy projects to.
        ArrayNode mappedRows = answer.putArray("mapped");
        mapped.of(kind.get(), id, comparable.get(0)).forEach(mappedRows::add);
        answer.set("deliveries", deliveries(DeliveryFilter.about(id, RECORD_DELIVERIES)).get("deliveries"));
        return answer;
    }

    /**
     * A page of users or organizations from the deciding store (the relational one when it is
     * configured, else MongoDB): {@code {"<kind>s":[…],"store":"postgres","next":<cursor for after, or
     * null>}}. It reads {@code limit + 1} to know whether there is a next page.
     */
    public ObjectNode records(RecordKind kind, RecordSearch search) {
        AdminStoreReads decider = stores.get(0);
        List<ObjectNode> found = decider.records(kind, search, search.limit() + 1);
        List<ObjectNode> page = found.subList(0, Math.min(search.limit(), found.size()));
        ObjectNode answer = JsonValues.object();
        ArrayNode records = answer.putArray(kind.label() + "s");
        page.forEach(records::add);
        answer.put("store", decider.name());
        if (found.size() > search.limit()) {
            answer.put("next", page.get(page.size() - 1).get("id").asText());
        } else {
            answer.putNull("next");
        }
        return answer;
    }

    /**
     * The stores and their health, recent deliveries by outcome, the change-event backlog, the last
     * backfill run, the last reconcile pass and its drift.
     */
    public ObjectNode status() {
        ObjectNode answer = JsonValues.object();
        ObjectNode storesNode = answer.putObject("stores");
        for (AdminStoreReads store : stores) {
            storesNode.putObject(store.name())
                    .put("healthy", store.healthy())
                    .put("label", store.label())
                    .put("engine", store.engine());
        }
        Instant now = clock.instant();
        ObjectNode recent = answer.putObject("deliveries");
        AdminStoreReads decider = stores.get(0);
        recent.put("store", decider.name());
        recent.set("last_hour", counts(decider.outcomesSince(now.minus(Duration.ofHours(1)))));
        recent.set("last_day", counts(decider.outcomesSince(now.minus(Duration.ofDays(1)))));
        answer.set("change_events", backlog.describe());
        JsonNode backfill = sql == null ? null : sql.lastBackfillRun();
        answer.set("last_backfill", backfill == null ? NullNode.instance : backfill);
        JsonNode reconcile = sql == null ? null : sql.lastReconcile();
        answer.set("last_reconcile", reconcile == null ? NullNode.instance : reconcile);
        answer.put("time", now.toString());
        return answer;
    }

    private Optional<RecordKind> kindStored(String id) {
        for (RecordKind kind : RecordKind.clerkRecords()) {
            for (AdminStoreReads store : stores) {
                if (store.record(kind, id) != null) {
                    return Optional.of(kind);
                }
            }
        }
        return Optional.empty();
    }

    private ObjectNode deliveryLine(AuditEntry entry, Map<String, String> outcomes) {
        ObjectNode line = JsonValues.object();
        line.put("event_id", entry.eventId());
        line.put("event_type", entry.eventType());
        line.put("subject_id", entry.subjectId());
        line.put("user_id", entry.userId());
        line.set("event_at", JsonValues.time(entry.eventAt()));
        line.set("received_at", JsonValues.time(entry.receivedAt()));
        line.put("outcome", entry.outcome());
        ObjectNode byStore = line.putObject("stores");
        for (AdminStoreReads store : stores) {
            byStore.put(store.name(), outcomes.get(store.name()));
        }
        return line;
    }

    private static ObjectNode counts(Map<String, Long> byOutcome) {
        ObjectNode counts = JsonValues.object();
        for (String outcome : List.of("applied", "stale", "ignored")) {
            counts.put(outcome, byOutcome.getOrDefault(outcome, 0L));
        }
        return counts;
    }
}
