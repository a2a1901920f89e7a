package dev.clerksync.admin;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.ClerkBackendApi;

/**
 * Asks Clerk's Backend API for a sign-in link to the Svix portal of the instance
 * ({@code POST /webhooks/svix_url}, answered {@code {"svix_url": "..."}}), where an operator sees
 * every message sent to the endpoints, re-enables a disabled endpoint and replays failed messages.
 * One try: an operator waits for the answer, and clicks again. Messages name the variables and
 * Clerk's status, never the key or the link (a one-time login).
 */
public final class SvixPortal {

    static final String PATH = "/webhooks/svix_url";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Why there is no link without a key; the page shows it beside its disabled button. */
    static final String NO_KEY = "the service runs without CLERK_SECRET_KEY: set it to a secret key (sk_…) "
            + "of this Clerk instance and restart to open Clerk's Svix portal from here";

    private final ClerkBackendApi clerk;

    SvixPortal(URI apiUrl, String secretKey, Duration timeout) {
        this.clerk = new ClerkBackendApi(apiUrl, secretKey, "clerk-sync-admin", timeout);
    }

    /** The portal of the instance whose secret key this is; null without a key (no link to ask for). */
    public static SvixPortal of(URI apiUrl, String secretKey) {
        return secretKey.isEmpty() ? null : new SvixPortal(apiUrl, secretKey, TIMEOUT);
    }

    /** A fresh sign-in link to the portal. */
    public URI link() throws SvixPortalException {
        HttpResponse<byte[]> response;
        try {
            response = clerk.send(clerk.request(PATH).POST(HttpRequest.BodyPublishers.noBody()).build());
        } catch (IOException e) {
            throw new SvixPortalException("cannot reach the Clerk Backend API at " + clerk.baseUrl() + " (CLERK_API_URL): "
                    + clerk.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SvixPortalException("interrupted while asking Clerk for the Svix portal link");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            // The words backfill uses for the same refusal (ClerkKeyRejectedException), so one search finds both.
            throw new SvixPortalException("CLERK_SECRET_KEY was rejected (Clerk answered " + status
                    + "): use a secret key of this instance, from the Clerk Dashboard's API Keys");
        }
        if (status >= 500) {
            throw new SvixPortalException("Clerk answered " + status + " to POST " + PATH + ": try again in a moment");
        }
        JsonNode body = json(response.body());
        if (status != 200) {
            // Clerk's own error text ("errors":[{"message":…}]) says what is wrong with the instance; it holds no personal data.
            String reason = body == null ? "" : body.path("errors").path(0).path("long_message").asText("");
            throw new SvixPortalException("Clerk answered " + status + " to POST " + PATH + (reason.isEmpty() ? "" : ": " + reason));
        }
        return portalUrl(body == null ? null : body.get("svix_url"));
    }

    private static URI portalUrl(JsonNode value) throws SvixPortalException {
        if (value != null && value.isTextual()) {
            try {
                URI url = new URI(value.asText());
                // The page opens it: never a javascript: or data: URL, whatever the answer holds.
                if (("https".equals(url.getScheme()) || "http".equals(url.getScheme())) && url.getHost() != null) {
                    return url;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
        }
        throw new SvixPortalException("Clerk answered POST " + PATH + " without an http(s) svix_url");
    }

    private static JsonNode json(byte[] body) {
        try {
            return JsonValues.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** No link: the message says why, for the operator, and holds neither the key nor a link. */
    static final class SvixPortalException extends Exception {
        SvixPortalException(String message) {
            super(message);
        }
    }
}
