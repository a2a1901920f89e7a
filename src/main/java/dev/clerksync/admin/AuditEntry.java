package dev.clerksync.admin;

import java.time.Instant;

/** One audit log entry as a deliveries page lists it (without its payload). */
public record AuditEntry(String eventId, String eventType, String subjectId, String userId, Instant eventAt,
        Instant receivedAt, String outcome) {

    public DeliveryCursor cursor() {
        return new DeliveryCursor(receivedAt, eventId);
    }
}
