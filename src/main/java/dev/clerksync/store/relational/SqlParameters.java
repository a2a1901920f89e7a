package dev.clerksync.store.relational;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.store.AuditPayload;
import dev.clerksync.store.BillingRecord;
import dev.clerksync.store.MembershipRecord;
import dev.clerksync.store.OrganizationRecord;
import dev.clerksync.store.StorableJson;
import dev.clerksync.store.SyncAction;
import dev.clerksync.store.SyncConstants;
import dev.clerksync.store.UserRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The named parameters ({@code :#name}) of the actions' SQL statements in {@code sql/<dialect>/}, from
 * a parsed event: one map per delivery, which every statement of the action reads from. As a
 * processor ({@code sqlParameters} in the routes) it makes them the body, for a statement of one's
 * own run by camel-sql (docs/editing-routes.md).
 */
public final class SqlParameters implements Processor {

    /** The embedded items of a subscription, a parameter map each (not a statement's parameter: see {@link #putBilling}). */
    public static final String EMBEDDED_ITEMS = "embeddedItems";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) {
        SyncAction action = SyncAction.named(exchange.getProperty(SyncConstants.ACTION, String.class));
        exchange.getMessage().setBody(of(exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class), action));
    }

    /** Audit fields for every event; the record's columns for the upserts; owner ids for memberships. */
    public static Map<String, Object> of(ClerkEvent event, SyncAction action) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventId", event.svixId());
        parameters.put("eventType", StorableJson.withoutNul(event.type()));
        parameters.put("subjectId", StorableJson.withoutNul(event.subjectId()));
        parameters.put("userId", StorableJson.withoutNul(event.userId()));
        parameters.put("eventAt", timestamp(event.eventAt()));
        parameters.put("receivedAt", timestamp(event.receivedAt()));
        parameters.put("payload", StorableJson.toSqlJson(AuditPayload.of(event)));
        parameters.put("lastEventAt", timestamp(event.clock()));
        switch (action) {
            case UPSERT_USER -> putUser(parameters, UserRecord.from(event));
            case UPSERT_ORGANIZATION -> putOrganization(parameters, OrganizationRecord.from(event));
            case UPSERT_MEMBERSHIP, DELETE_MEMBERSHIP -> putMembership(parameters, MembershipRecord.from(event));
            case UPSERT_SUBSCRIPTION, UPSERT_SUBSCRIPTION_ITEM, UPSERT_PAYMENT_ATTEMPT ->
                    putBilling(parameters, BillingRecord.of(event));
            default -> {
                // the audit fields are all the statement needs
            }
        }
        return parameters;
    }

    private static void putUser(Map<String, Object> parameters, UserRecord user) {
        parameters.put("email", user.email());
        parameters.put("phoneNumber", user.phoneNumber());
        parameters.put("firstName", user.firstName());
        parameters.put("lastName", user.lastName());
        parameters.put("username", user.username());
        parameters.put("imageUrl", user.imageUrl());
        parameters.put("createdAt", timestamp(user.createdAt()));
        parameters.put("updatedAt", timestamp(user.updatedAt()));
        parameters.put("data", StorableJson.toSqlJson(user.data()));
    }

    private static void putOrganization(Map<String, Object> parameters, OrganizationRecord organization) {
        parameters.put("name", organization.name());
        parameters.put("slug", organization.slug());
        parameters.put("imageUrl", organization.imageUrl());
        parameters.put("createdBy", organization.createdBy());
        parameters.put("createdAt", timestamp(organization.createdAt()));
        parameters.put("updatedAt", timestamp(organization.updatedAt()));
        parameters.put("data", StorableJson.toSqlJson(organization.data()));
    }

    // A deletion needs only the owners, which its tombstone keeps.
    private static void putMembership(Map<String, Object> parameters, MembershipRecord membership) {
        parameters.put("organizationId", membership.organizationId());
        parameters.put("role", membership.role());
        parameters.put("createdAt", timestamp(membership.createdAt()));
        parameters.put("updatedAt", timestamp(membership.updatedAt()));
        parameters.put("data", StorableJson.toSqlJson(membership.data()));
    }

    /**
     * A billing record's columns, its data as received and without the payer's personal data (the
     * statement stores that one when the payer's user is deleted) and, for a subscription, its
     * embedded items: as {@code items}, one JSON array (PostgreSQL's statement unpacks it), and as
     * {@value #EMBEDDED_ITEMS}, a parameter map per item (the embedded database's statement runs once
     * per item).
     */
    private static void putBilling(Map<String, Object> parameters, BillingRecord record) {
        putBillingColumns(parameters, record);
        List<Map<String, Object>> items = new ArrayList<>();
        ArrayNode itemsJson = JSON.createArrayNode();
        for (BillingRecord item : record.embeddedItems()) {
            Map<String, Object> itemParameters = new HashMap<>();
            itemParameters.put("eventId", parameters.get("eventId"));
            itemParameters.put("subjectId", item.id());
            itemParameters.put("lastEventAt", timestamp(item.updatedAt()));
            putBillingColumns(itemParameters, item);
            items.add(itemParameters);
            ObjectNode json = itemsJson.addObject()
                    .put("subjectId", item.id())
                    .put("lastEventAt", iso(item.updatedAt()));
            item.columns().forEach((column, value) -> json.set(column, value instanceof Instant instant
                    ? JSON.getNodeFactory().textNode(iso(instant)) : JSON.valueToTree(value)));
            json.set("data", item.data());
        }
        parameters.put(EMBEDDED_ITEMS, items);
        parameters.put("items", StorableJson.toSqlJson(itemsJson));
    }

    private static void putBillingColumns(Map<String, Object> parameters, BillingRecord record) {
        record.columns().forEach((column, value) ->
                parameters.put(column, value instanceof Instant instant ? timestamp(instant) : value));
        parameters.put("data", StorableJson.toSqlJson(record.data()));
        parameters.put("dataErased", StorableJson.toSqlJson(record.dataWithoutPayer()));
    }

    private static String iso(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(timestamp(instant));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
