package dev.clerksync.changes;

/**
 * A destination is up but refused this one event (a negative publisher confirm): the relay counts
 * an attempt against it and parks it after too many, so one poison event holds back only its record.
 */
public class EventRefusedException extends Exception {
    public EventRefusedException(String message) {
        super(message);
    }
}
