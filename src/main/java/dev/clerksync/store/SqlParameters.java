package dev.clerksync.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import dev.clerksync.event.ClerkEvent;
import dev.clerksync.event.ClerkEventParser;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Makes the body the named parameters ({@code :#name}) of the action's SQL statement in
 * {@code sql/<dialect>/}, and tells camel-sql how many there are: counted once at start-up, so that
 * camel-sql does not ask the database for it before every statement.
 */
public final class SqlParameters implements Processor {

    private final Map<SyncAction, Integer> parameterCounts;

    public SqlParameters(Map<SyncAction, Integer> parameterCounts) {
        this.parameterCounts = Map.copyOf(parameterCounts);
    }

    @Override
    public void process(Exchange exchange) {
        SyncAction action = SyncAction.named(exchange.getProperty(SyncConstants.ACTION, String.class));
        exchange.getMessage().setBody(of(exchange.getProperty(ClerkEventParser.EVENT, ClerkEvent.class)));
        exchange.setProperty(SyncConstants.SQL_PARAMETER_COUNT, parameterCounts.get(action));
    }

    /** Audit fields for every event; user columns for {@code user.created} and {@code user.updated}. */
    static Map<String, Object> of(ClerkEvent event) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventId", event.svixId());
        parameters.put("eventType", StorableJson.withoutNul(event.type()));
        parameters.put("subjectId", StorableJson.withoutNul(event.subjectId()));
        parameters.put("eventAt", timestamp(event.eventAt()));
        parameters.put("receivedAt", timestamp(event.receivedAt()));
        parameters.put("payload", StorableJson.toSqlJson(AuditPayload.of(event)));
        parameters.put("lastEventAt", timestamp(event.clock()));
        if (event.isUserEvent() && !ClerkEvent.USER_DELETED.equals(event.type())) {
            UserRecord user = UserRecord.from(event);
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
        return parameters;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
