package dev.clerksync;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code CLERK_SECRET_KEY} and {@code CLERK_API_URL} checked one way for everything that calls Clerk's
 * Backend API: the backfill and the service (the admin view's Svix portal link). Messages name the
 * variables, never the key.
 */
public final class ClerkApiSettings {

    public static final String DEFAULT_API_URL = "https://api.clerk.com/v1";

    private ClerkApiSettings() {
    }

    /**
     * The key as given, when it looks like a secret key.
     *
     * @param source where it came from, for the message: {@code ""} or {@code " (read from CLERK_SECRET_KEY_FILE)"}
     */
    public static String checkedKey(String key, String source) {
        // Publishable keys (pk_…) are the usual mix-up; a key with spaces inside would break the header.
        if (!key.startsWith("sk_") || key.length() <= 3 || !key.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new InvalidConfigurationException("CLERK_SECRET_KEY must be a Clerk secret key, sk_…" + source);
        }
        return key;
    }

    /** The base URL without a trailing slash; null or blank means {@value #DEFAULT_API_URL}. */
    public static URI apiUrl(String value) {
        String url = value == null || value.isBlank() ? DEFAULT_API_URL : value.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not an http(s) base URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("CLERK_API_URL must be an http(s) URL such as " + DEFAULT_API_URL);
        }
    }
}
