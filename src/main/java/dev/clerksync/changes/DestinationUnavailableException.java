package dev.clerksync.changes;

/**
 * A destination cannot take events now (broker down, unreachable, no confirm in time): the relay
 * stops its poll and tries again later, counting no attempt against any event.
 */
public class DestinationUnavailableException extends Exception {
    public DestinationUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
