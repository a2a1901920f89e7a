package dev.clerksync.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * The admin view's one credential, {@code ADMIN_TOKEN}: accepted as {@code Authorization: Bearer
 * <token>} or as the password of HTTP Basic with any user name (so that a browser's own prompt
 * works). Compared in constant time, so that response timing does not reveal how much of a guess
 * was right.
 */
public final class AdminCredentials {

    private final byte[] token;

    public AdminCredentials(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an admin token is needed");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this {@code Authorization} header value (null when absent) carries the token. */
    public boolean accepts(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = value.substring(space + 1).trim();
        if (scheme.equals("bearer")) {
            return matches(credentials.getBytes(StandardCharsets.UTF_8));
        }
        if (scheme.equals("basic")) {
            return matches(basicPassword(credentials));
        }
        return false;
    }

    private boolean matches(byte[] offered) {
        return offered != null && MessageDigest.isEqual(token, offered);
    }

    private static byte[] basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
