package dev.clerksync.backfill;

/** A store failed while the backfill wrote to it: the run stops (exit 1) and --resume continues it. */
final class BackfillStoreException extends RuntimeException {

    BackfillStoreException(Throwable cause) {
        super("a store failed: " + cause.getClass().getSimpleName(), cause);
    }
}
