package dev.clerksync.backfill;

/**
 * A Clerk Backend API request that failed for good (after its retries, or at once for an answer
 * retrying cannot change). The message names the request path and the status or cause; it never
 * holds the secret key or a response body, which may carry personal data.
 */
public class ClerkApiException extends RuntimeException {

    private final String path;

    public ClerkApiException(String path, String message) {
        super(message);
        this.path = path;
    }

    public ClerkApiException(String path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The request path and query, e.g. {@code /users?limit=500&offset=1000&order_by=%2Bcreated_at}. */
    public String path() {
        return path;
    }
}
