package dev.clerksync.backfill;

/** The backfill command line is wrong: the caller prints {@link BackfillCommand#USAGE} and exits 2. */
public final class BackfillUsageException extends IllegalArgumentException {

    public BackfillUsageException(String message) {
        super(message);
    }
}
