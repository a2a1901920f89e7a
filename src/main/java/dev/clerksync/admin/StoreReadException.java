package dev.clerksync.admin;

/** A store did not answer a read; the admin API answers 503 naming the store, never the cause's text. */
public final class StoreReadException extends RuntimeException {

    private final String store;

    public StoreReadException(String store, Throwable cause) {
        super("the " + store + " store did not answer", cause);
        this.store = store;
    }

    public String store() {
        return store;
    }
}
