package dev.clerksync.backfill;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.clerksync.ClerkBackendApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Clerk's Backend API ({@code https://api.clerk.com/v1}) that a backfill reads: users,
 * organizations and their memberships, a page at a time, in ascending creation order so that
 * objects created during a pass land on later pages instead of shifting earlier ones; and Clerk
 * Billing's subscription items and each payer's subscription.
 *
 * <p>Every request goes through one {@link RequestPacer} (the {@code --rate}), waits out a 429's
 * {@code Retry-After}, and retries a 5xx, a dropped connection or a timeout with exponential
 * backoff, {@value #TRIES} tries in all. A 401 or 403 ends at once with
 * {@link ClerkKeyRejectedException}. Messages name the request path, never the key or a response
 * body (the bodies are personal data). Thread-safe.
 */
public final class ClerkApi {

    /** Clerk's maximum page size: it answers a larger {@code limit} with 10 rows and no error. */
    public static final int MAX_PAGE_SIZE = 500;
    /** Tries per request for 5xx answers, dropped connections and timeouts. */
    public static final int TRIES = 5;
    /** 429s in a row for one request before giving up: the key is being used up elsewhere. */
    static final int MAX_RATE_LIMITED_IN_A_ROW = 20;

    private static final Logger LOG = LoggerFactory.getLogger(ClerkApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Clerk ids are {@code user_…}, {@code org_…}, {@code orgmem_…}: never let stored data build a path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Ascending creation order; the {@code +} must reach Clerk encoded, or it decodes as a space. */
    private static final String OLDEST_FIRST = "+created_at";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration RETRY_AFTER_WHEN_MISSING = Duration.ofSeconds(1);

    /** One page of a {@code {data, total_count}} list. */
    public record Page(ArrayNode data, long totalCount) {
    }

    private final ClerkBackendApi clerk;
    private final RequestPacer pacer;
    private final Duration firstBackoff;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    public ClerkApi(URI baseUrl, String secretKey, RequestPacer pacer) {
        this(baseUrl, secretKey, pacer, DEFAULT_TIMEOUT, DEFAULT_FIRST_BACKOFF);
    }

    /**
     * @param requestTimeout how long one request may take before it counts as a failed try
     * @param firstBackoff   the wait after the first failed try; it doubles with each further one
     */
    public ClerkApi(URI baseUrl, String secretKey, RequestPacer pacer, Duration requestTimeout, Duration firstBackoff) {
        this.clerk = new ClerkBackendApi(baseUrl, secretKey, "clerk-sync-backfill", requestTimeout);
        this.pacer = pacer;
        this.firstBackoff = firstBackoff;
    }

    /** The client a backfill run uses: the options' URL, key and rate. */
    public static ClerkApi of(BackfillOptions options) {
        return new ClerkApi(options.apiUrl(), options.secretKey(), new RequestPacer(options.rate()));
    }

    /** {@code GET /users/count}: how many users there are now (for progress; the pass does not rely on it). */
    public long countUsers() {
        return get("/users/count", Map.of()).path("total_count").asLong();
    }

    /** {@code GET /users}, oldest first: Clerk answers a bare JSON array. Fewer than {@code limit} rows = the last page. */
    public ArrayNode usersPage(long offset, int limit) {
        return array(get("/users", paging(offset, limit)), "/users");
    }

    /**
     * {@code GET /users?starting_after=…}, oldest first: the users created after {@code lastUserId}
     * (null for the first page). Clerk's reference recommends this cursor over {@code offset} for
     * long walks (a large offset gets slower and eventually times out), and a user deleted during
     * the pass cannot shift a later user out of the walk as it can with offsets.
     */
    public ArrayNode usersAfter(String lastUserId, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(checkedLimit(limit)));
        if (lastUserId != null) {
            query.put("starting_after", checkedId(lastUserId));
        }
        query.put("order_by", OLDEST_FIRST);
        return array(get("/users", query), "/users");
    }

    /** {@code GET /organizations}, oldest first: {@code {data, total_count}}. */
    public Page organizationsPage(long offset, int limit) {
        return page(get("/organizations", paging(offset, limit)), "/organizations");
    }

    /**
     * {@code GET /organizations/{id}/memberships}, oldest first: {@code {data, total_count}}. An
     * organization deleted since it was listed (Clerk answers 404) has an empty page: a routine
     * race in a long pass, which must not stop the run.
     */
    public Page membershipsPage(String organizationId, long offset, int limit) {
        String path = "/organizations/" + checkedId(organizationId) + "/memberships";
        return find(path, paging(offset, limit))
                .map(answer -> page(answer, path))
                .orElseGet(() -> new Page(JSON.createArrayNode(), 0));
    }

    /**
     * {@code GET /billing/subscription_items}: {@code {data, total_count}}, free plans' items included
     * (Clerk leaves them out by default, but its webhooks deliver them). Clerk sorts this list newest
     * first and documents no other order: an item created during a pass pushes the others one place
     * on, so a later page repeats one (applied once, the other unchanged) and none is skipped.
     */
    public Page subscriptionItemsPage(long offset, int limit) {
        Map<String, String> query = paging(offset, limit);
        query.remove("order_by");
        query.put("include_free", "true");
        return page(get("/billing/subscription_items", query), "/billing/subscription_items");
    }

    /** {@code GET /users/{id}/billing/subscription}; empty when Clerk answers 404 (the user has none, or is gone). */
    public Optional<JsonNode> userSubscription(String userId) {
        return find("/users/" + checkedId(userId) + "/billing/subscription", Map.of());
    }

    /** {@code GET /organizations/{id}/billing/subscription}; empty when Clerk answers 404 (none, or gone). */
    public Optional<JsonNode> organizationSubscription(String organizationId) {
        return find("/organizations/" + checkedId(organizationId) + "/billing/subscription", Map.of());
    }

    /** {@code GET /users/{id}}; empty when Clerk answers 404 (the user is gone). */
    public Optional<JsonNode> user(String userId) {
        return find("/users/" + checkedId(userId), Map.of());
    }

    /** {@code GET /organizations/{id}}; empty when Clerk answers 404 (the organization is gone). */
    public Optional<JsonNode> organization(String organizationId) {
        return find("/organizations/" + checkedId(organizationId), Map.of());
    }

    /**
     * The membership of a user in an organization, if it exists. Clerk's Backend API has no GET for
     * one membership, so this lists the organization's memberships filtered by {@code user_id} (a
     * documented filter of {@code GET /organizations/{id}/memberships}) and looks for that user in
     * {@code public_user_data.user_id}. An organization that is gone (404) has no memberships.
     */
    public Optional<JsonNode> membership(String organizationId, String userId) {
        String path = "/organizations/" + checkedId(organizationId) + "/memberships";
        Map<String, String> query = new LinkedHashMap<>();
        query.put("user_id", checkedId(userId));
        query.put("limit", "10");
        Optional<JsonNode> answer = find(path, query);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode membership : page(answer.get(), path).data()) {
            if (userId.equals(membership.path("public_user_data").path("user_id").asText(null))) {
                return Optional.of(membership);
            }
        }
        return Optional.empty();
    }

    /**
     * HTTP requests sent so far, retries included. Not counted (and not paced): the one resend the
     * JDK's HTTP client makes by itself when a connection closes before any byte of an answer.
     */
    public long requests() {
        return requests.get();
    }

    /** 429 answers seen so far. */
    public long rateLimited() {
        return rateLimited.get();
    }

    @Override
    public String toString() {
        return "ClerkApi[" + clerk.baseUrl() + "]";
    }

    private static Map<String, String> paging(long offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", Integer.toString(checkedLimit(limit)));
        query.put("offset", Long.toString(offset));
        query.put("order_by", OLDEST_FIRST);
        return query;
    }

    private static int checkedLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE_SIZE + ", was " + limit);
        }
        return limit;
    }

    private static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Clerk id");
        }
        return id;
    }

    private static ArrayNode array(JsonNode answer, String path) {
        if (answer instanceof ArrayNode array) {
            return array;
        }
        throw new ClerkApiException(path, "GET " + path + ": Clerk answered something other than a JSON array");
    }

    private static Page page(JsonNode answer, String path) {
        if (answer.get("data") instanceof ArrayNode data) {
            return new Page(data, answer.path("total_count").asLong(data.size()));
        }
        throw new ClerkApiException(path, "GET " + path + ": Clerk answered without a data array");
    }

    private JsonNode get(String path, Map<String, String> query) {
        String target = target(path, query);
        return send(target, false).orElseThrow(() -> new ClerkApiException(target, "GET " + target + ": Clerk answered 404"));
    }

    private Optional<JsonNode> find(String path, Map<String, String> query) {
        return send(target(path, query), true);
    }

    private static String target(String path, Map<String, String> query) {
        if (query.isEmpty()) {
            return path;
        }
        return path + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Sends a GET until it succeeds or fails for good; empty for a 404 when {@code notFoundIsAnswer}. */
    private Optional<JsonNode> send(String target, boolean notFoundIsAnswer) {
        HttpRequest request = clerk.request(target).GET().build();
        int failures = 0;
        int rateLimitedInARow = 0;
        // Whether any try got an answer: when none did, the API was never reached at all.
        boolean answered = false;
        while (true) {
            String failure;
            Throwable cause = null;
            try {
                pacer.acquire();
                requests.incrementAndGet();
                HttpResponse<byte[]> response = clerk.send(request);
                answered = true;
                int status = response.statusCode();
                if (status == 429) {
                    rateLimited.incrementAndGet();
                    if (++rateLimitedInARow >= MAX_RATE_LIMITED_IN_A_ROW) {
                        throw new ClerkApiException(target, "GET " + target + ": Clerk still answered 429 after "
                                + rateLimitedInARow + " waits; the key's rate limit is used up elsewhere");
                    }
                    Duration wait = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null))
                            .orElse(RETRY_AFTER_WHEN_MISSING);
                    LOG.warn("Clerk answered 429 to GET {}: waiting {} ms as its Retry-After asks", target, wait.toMillis());
                    pacer.pauseFor(wait);
                    continue;
                }
                rateLimitedInARow = 0;
                if (status == 401 || status == 403) {
                    throw new ClerkKeyRejectedException(target, status);
                }
                if (status == 404 && notFoundIsAnswer) {
                    return Optional.empty();
                }
                if (status >= 200 && status < 300) {
                    try {
                        return Optional.of(JSON.readTree(response.body()));
                    } catch (IOException e) {
                        // A body cut short by a proxy or a dropped connection: worth another try.
                        failure = "an unreadable JSON body";
                    }
                } else if (status >= 500) {
                    failure = "status " + status;
                } else {
                    throw new ClerkApiException(target, "GET " + target + ": Clerk answered " + status);
                }
            } catch (IOException e) {
                // Dropped connections, resets and timeouts (HttpTimeoutException) alike.
                failure = clerk.describe(e);
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClerkApiException(target, "GET " + target + ": interrupted", e);
            }
            failures++;
            if (failures >= TRIES) {
                if (!answered && (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException)) {
                    throw new ClerkApiException(target, "cannot reach the Clerk Backend API at " + clerk.baseUrl()
                            + " (CLERK_API_URL): " + failure, cause);
                }
                throw new ClerkApiException(target, "GET " + target + " failed " + TRIES + " times; last: " + failure, cause);
            }
            Duration backoff = backoff(failures);
            LOG.warn("GET {}{} failed ({}), try {} of {}: retrying in {} ms", clerk.baseUrl(), target, failure, failures, TRIES,
                    backoff.toMillis());
            pacer.pauseFor(backoff);
        }
    }

    private Duration backoff(int failures) {
        Duration wait = firstBackoff.multipliedBy(1L << Math.min(failures - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }
}
