package dev.clerksync.backfill;

/**
 * Clerk answered 401 or 403: the key is wrong, revoked, or of another instance. Retrying cannot
 * help, and the command treats it as a configuration error (exit status 2), not an API failure.
 */
public final class ClerkKeyRejectedException extends ClerkApiException {

    /** Exactly what the operator reads: scripts and docs match on this text, so it never changes. */
    public static final String MESSAGE = "CLERK_SECRET_KEY was rejected";

    private final int status;

    public ClerkKeyRejectedException(String path, int status) {
        super(path, MESSAGE);
        this.status = status;
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }
}
