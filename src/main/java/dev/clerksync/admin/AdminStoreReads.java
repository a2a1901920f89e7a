package dev.clerksync.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.store.RecordKind;

/**
 * What the admin view reads from one store. Read-only by design: nothing here writes, so the admin
 * view cannot change what the stores hold.
 */
public interface AdminStoreReads {

    /** {@code postgres} or {@code mongodb}, as the answers name the store. */
    String name();

    /** What the store is, for people: "PostgreSQL", "embedded H2 (./data)", "MongoDB", "embedded MongoDB (./data)". */
    String label();

    /** Which engine: {@code postgresql}, {@code h2}, {@code mongodb} or {@code embedded-mongodb}. */
    String engine();

    /** Whether the store answers now. */
    boolean healthy();

    /** The newest entries that pass the filter, at most {@code count}, newest first by (received_at, event_id). */
    List<AuditEntry> deliveries(DeliveryFilter filter, int count);

    /** One audit entry with its payload as the store holds it; null when the store has none. */
    ObjectNode delivery(String eventId);

    /** The record as the store holds it (row or document); null when the store has none. */
    ObjectNode record(RecordKind kind, String id);

    /** The record in the relational store's column names and value forms, for comparing stores; null when absent. */
    ObjectNode comparable(RecordKind kind, String id);

    /** The memberships of a user or an organization, in comparable form. */
    List<ObjectNode> memberships(RecordKind kind, String id);

    /**
     * The billing records of a user or an organization as payer (docs/billing.md): each one's
     * {@code kind}, {@code id}, {@code status} and {@code updated_at}, subscriptions, then items, then
     * payment attempts, each by id.
     */
    List<ObjectNode> billing(RecordKind kind, String id);

    /**
     * Users or organizations (the kind), as the search says, at most {@code count}, in descending id
     * order: each one's id, names, times and deletion in the relational store's column names.
     */
    List<ObjectNode> records(RecordKind kind, RecordSearch search, int count);

    /** Entries received since the given time, counted by outcome. */
    Map<String, Long> outcomesSince(Instant since);
}
