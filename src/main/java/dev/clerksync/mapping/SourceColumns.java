package dev.clerksync.mapping;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.clerksync.store.OwnTables;
import dev.clerksync.store.RecordKind;

/**
 * The records a mapping may name (contract §11, §12: every kind but payment attempts) and the
 * columns of each one's own table (contract §3), the sources a mapping may read. Each column's name
 * in the decider's parameters ({@code SqlParameters}) is its camelCase form, but for the record's
 * id ({@code subjectId}) and its last event ({@code eventId}): one rule, so that a live delivery and
 * a row read back from the table give the same source row ({@link SourceRow}).
 */
final class SourceColumns {

    private static final Map<RecordKind, List<String>> COLUMNS = new EnumMap<>(RecordKind.class);

    static {
        COLUMNS.put(RecordKind.USER, List.of("id", "email", "phone_number", "first_name", "last_name", "username",
                "image_url", "created_at", "updated_at", "deleted_at", "last_event_at", "last_event_id", "data"));
        COLUMNS.put(RecordKind.ORGANIZATION, List.of("id", "name", "slug", "image_url", "created_by", "created_at",
                "updated_at", "deleted_at", "last_event_at", "last_event_id", "data"));
        COLUMNS.put(RecordKind.MEMBERSHIP, List.of("id", "organization_id", "user_id", "role", "created_at",
                "updated_at", "deleted_at", "last_event_at", "last_event_id", "data"));
        COLUMNS.put(RecordKind.SUBSCRIPTION, List.of("id", "status", "payer_id", "user_id", "organization_id",
                "active_at", "canceled_at", "ended_at", "past_due_at", "created_at", "updated_at", "last_event_at",
                "last_event_id", "data"));
        // Written by its own events; an item embedded in a subscription event is not a delivery of its own here.
        COLUMNS.put(RecordKind.SUBSCRIPTION_ITEM, List.of("id", "subscription_id", "status", "plan_id", "plan_slug",
                "interval", "is_free_trial", "period_start", "period_end", "user_id", "organization_id", "created_at",
                "updated_at", "last_event_at", "last_event_id", "data"));
        COLUMNS.put(RecordKind.AUDIT, List.of("event_id", "event_type", "subject_id", "user_id", "event_at",
                "received_at", "outcome", "payload"));
    }

    private SourceColumns() {
    }

    /** The kind a mapping file's {@code record} names, or null when it names none a mapping may keep. */
    static RecordKind mappable(String record) {
        return RecordKind.labelled(record).filter(COLUMNS::containsKey).orElse(null);
    }

    static List<String> of(RecordKind kind) {
        return COLUMNS.get(kind);
    }

    /** The JSON column {@code data.<path>} reads: the Clerk object, or for audit the stored event. */
    static String json(RecordKind kind) {
        return kind == RecordKind.AUDIT ? "payload" : "data";
    }

    /** A column's name among the decider's parameters. */
    static String parameterName(String column) {
        if (column.equals("id")) {
            return "subjectId";
        }
        if (column.equals("last_event_id")) {
            return "eventId";
        }
        return OwnTables.camelCase(column);
    }
}
