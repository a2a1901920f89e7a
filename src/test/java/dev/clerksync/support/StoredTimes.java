package dev.clerksync.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;

/** A time as either store returns it (JDBC timestamp types, BSON date) as an instant. */
final class StoredTimes {

    private StoredTimes() {
    }

    static Instant instant(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof java.sql.Timestamp time) {
            return time.toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        return null;
    }
}
