package dev.clerksync.http;

import java.util.Set;

/** One or more stores could not take a delivery's effect: the sender must retry (503). */
public final class StoreUnavailableException extends Exception {

    public StoreUnavailableException(Set<String> stores, Throwable firstCause) {
        super("store unavailable: " + String.join(", ", stores), firstCause);
    }
}
