package dev.clerksync.store;

import java.sql.SQLException;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import org.apache.camel.Exchange;

/** Tells a unique-key violation (an expected outcome here) from a real store failure. */
public final class DuplicateKeys {

    static final String SQL_UNIQUE_VIOLATION = "23505";

    /** For {@code doCatch ... onWhen}: whether the caught exception is a duplicate key. */
    public boolean matches(Exchange exchange) {
        return isDuplicateKey(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MongoServerException server
                    && ErrorCategory.fromErrorCode(server.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return true;
            }
            if (t instanceof SQLException sql && SQL_UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
