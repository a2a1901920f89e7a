package dev.clerksync;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * One connection to Clerk's Backend API ({@link ClerkApiSettings}), as its two callers use it: the
 * backfill's reads and the admin view's Svix portal link. It sends a request with the secret key,
 * JSON accepted and the caller's user agent, under one timeout (to connect and to answer), and says
 * in words why a try failed. Nothing it says holds the key. Thread-safe.
 */
public final class ClerkBackendApi {

    private final String baseUrl;
    private final String authorization;
    private final String userAgent;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param userAgent who asks ({@code clerk-sync-backfill}, {@code clerk-sync-admin}), for Clerk's logs
     * @param timeout   how long connecting may take, and then the answer
     */
    public ClerkBackendApi(URI baseUrl, String secretKey, String userAgent, Duration timeout) {
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = "Bearer " + secretKey;
        this.userAgent = userAgent;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The base URL, without a trailing slash: what messages name as {@code CLERK_API_URL}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** A request to {@code target} (a path under the base URL, with its query), ready for its method. */
    public HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create(baseUrl + target))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
    }

    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A failed try in words: the JDK's exceptions often carry no message, or the reason only in a cause. */
    public String describe(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        return "connection failed (" + failure.getClass().getSimpleName() + ")";
    }
}
