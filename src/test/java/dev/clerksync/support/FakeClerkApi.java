package dev.clerksync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for Clerk's Backend API on 127.0.0.1 that answers the reads a backfill makes, the way
 * Clerk's published reference (clerk/openapi-specs, bapi) describes them:
 * <ul>
 *   <li>{@code GET /v1/users}: a bare JSON array; {@code GET /v1/users/count}:
 *       {@code {"object":"total_count","total_count":n}}; {@code GET /v1/users/{id}}</li>
 *   <li>{@code GET /v1/organizations} and {@code GET /v1/organizations/{id}/memberships}:
 *       {@code {data, total_count}}; {@code GET /v1/organizations/{id or slug}}</li>
 *   <li>{@code GET /v1/billing/subscription_items}: {@code {data, total_count}} of Clerk's
 *       {@code CommerceSubscriptionItem} (no {@code subscription_id}; the payer embedded), newest
 *       first, free plans' items only with {@code include_free=true} (Clerk's default leaves them out);
 *       {@code GET /v1/users/{id}/billing/subscription} and {@code GET /v1/organizations/{id}/billing/subscription}:
 *       Clerk's {@code CommerceSubscription} (only {@code payer_id}, its items in {@code subscription_items}),
 *       404 for a payer without one. Shapes from {@code bapi/2026-05-12.yml} of clerk/openapi-specs.</li>
 *   <li>{@code limit} (default 10; above 500 answered with 10 rows, as Clerk does), {@code offset},
 *       {@code order_by} ({@code created_at} with {@code +}/{@code -}, default {@code -created_at},
 *       newest first, as Clerk's default), {@code starting_after} on users, {@code user_id} on memberships</li>
 *   <li>{@code POST /v1/webhooks/svix_url}: {@code {"svix_url": …}}, a link to a page this fake serves
 *       in place of Svix's portal ({@link #svixPortalUrl()})</li>
 *   <li>{@code Authorization: Bearer <key>}, else 401; unknown ids 404; bad parameters 422; errors
 *       as Clerk's {@code {"errors":[{message,long_message,code}]}}</li>
 * </ul>
 * Strict where Clerk's behaviour is not documented: an {@code order_by} other than created_at is 422
 * (so is {@code " created_at"}, which is what an unencoded {@code +} turns into).
 *
 * <p>Tests hold the data (and change it during a run), inject faults on chosen requests (429 with
 * {@code Retry-After}, 5xx, dropped connections, latency) and read back every request with its
 * arrival time.
 */
public final class FakeClerkApi implements AutoCloseable {

    /** The key the fake accepts; deliberately long and recognisable, so tests can look for leaks. */
    public static final String KEY = "sk_test_FakeClerkSecretKey0123456789abcdef";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_CREATED_AT = 1_700_000_000_000L;
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 500;
    private static final Comparator<JsonNode> OLDEST_FIRST = Comparator
            .<JsonNode>comparingLong(node -> node.path("created_at").asLong())
            .thenComparing(node -> node.path("id").asText());
    private static final String SVIX_PORTAL_PATH = "/svix-portal/login";
    public static final String SVIX_PORTAL_TITLE = "Svix portal (stand-in)";
    private static final Pattern USER = Pattern.compile("/v1/users/([^/]+)");
    private static final Pattern ORGANIZATION = Pattern.compile("/v1/organizations/([^/]+)");
    private static final Pattern MEMBERSHIPS = Pattern.compile("/v1/organizations/([^/]+)/memberships");
    private static final Pattern PAYER_SUBSCRIPTION = Pattern.compile("/v1/(users|organizations)/([^/]+)/billing/subscription");

    /** What the fake does instead of answering, for the requests a test picks. */
    public sealed interface Fault {
    }

    /** 429 with this {@code Retry-After} header value (null: no header). */
    public record TooManyRequests(String retryAfter) implements Fault {
        public TooManyRequests(int seconds) {
            this(Integer.toString(seconds));
        }
    }

    /** This status (a 5xx, or a 403 or 422 to test those) with a Clerk error body. */
    public record ErrorStatus(int status) implements Fault {
    }

    /** Closes the connection without a byte of answer. */
    public record DroppedConnection() implements Fault {
    }

    /** Answers normally, after this long. */
    public record Latency(Duration delay) implements Fault {
    }

    /** A request as it arrived: {@code nanos} is {@link System#nanoTime()} at arrival. */
    public static final class RecordedRequest {
        private final String method;
        private final String path;
        private final String rawQuery;
        private final Map<String, List<String>> query;
        private final String authorization;
        private final long nanos;
        private volatile int status;

        RecordedRequest(String method, String path, String rawQuery, Map<String, List<String>> query, String authorization, long nanos) {
            this.method = method;
            this.path = path;
            this.rawQuery = rawQuery;
            this.query = query;
            this.authorization = authorization;
            this.nanos = nanos;
        }

        public String method() {
            return method;
        }

        /** The path without the query, e.g. {@code /v1/users}. */
        public String path() {
            return path;
        }

        /** The query as sent, still encoded; null when there was none. */
        public String rawQuery() {
            return rawQuery;
        }

        /** The first value of a decoded query parameter, or null. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public List<String> params(String name) {
            return query.getOrDefault(name, List.of());
        }

        public String authorization() {
            return authorization;
        }

        public long nanos() {
            return nanos;
        }

        /** The status answered; 0 for a dropped connection (or while still being answered). */
        public int status() {
            return status;
        }

        @Override
        public String toString() {
            return method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " -> " + status;
        }
    }

    private record ScheduledFault(Predicate<RecordedRequest> when, Fault fault, AtomicInteger remaining) {
    }

    private record Trigger(Predicate<RecordedRequest> when, Runnable action) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    /** Sends the answers a {@link Latency} holds back, when their time comes: no thread waits for them. */
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-clerk-api-latency");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ObjectNode> users = new ArrayList<>();
    private final List<ObjectNode> organizations = new ArrayList<>();
    private final List<ObjectNode> memberships = new ArrayList<>();
    private final List<ObjectNode> subscriptions = new ArrayList<>();
    private final List<ObjectNode> subscriptionItems = new ArrayList<>();
    /** What Clerk's answers do not show: each subscription's payer, each item's subscription. */
    private final Map<String, ObjectNode> payerOfSubscription = new LinkedHashMap<>();
    private final Map<String, String> subscriptionOfItem = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<ScheduledFault> faults = new CopyOnWriteArrayList<>();
    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();
    private final ObjectNode userTemplate = template("user.updated.json");
    private final ObjectNode organizationTemplate = template("organization.updated.json");
    private final ObjectNode membershipTemplate = template("organizationMembership.updated.json");
    private long lastCreatedAt = FIRST_CREATED_AT;
    private volatile String svixUrl;

    private FakeClerkApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-clerk-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an empty fake on a free port. */
    public static FakeClerkApi start() {
        try {
            return new FakeClerkApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on {@code POST /v1/webhooks/svix_url} answers this {@code svix_url} instead of {@link #svixPortalUrl()}. */
    public FakeClerkApi answerSvixUrl(String url) {
        svixUrl = url;
        return this;
    }

    /** The link {@code POST /v1/webhooks/svix_url} answers: a page of this fake, titled {@value #SVIX_PORTAL_TITLE}. */
    public URI svixPortalUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SVIX_PORTAL_PATH + "#key=one-time-login");
    }

    /** What {@code CLERK_API_URL} would be: {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @Override
    public void close() {
        server.stop(0);
        delayed.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- data -------------------------------------------------------------------------------

    /** A user built from Clerk's example, created after every object so far; not yet added. */
    public synchronized ObjectNode newUser(String id) {
        long createdAt = nextCreatedAt();
        ObjectNode user = userTemplate.deepCopy();
        String suffix = id.substring(id.indexOf('_') + 1);
        user.put("id", id);
        user.put("username", "user" + suffix.toLowerCase());
        user.put("first_name", "First" + suffix);
        user.put("last_name", "Last" + suffix);
        user.put("primary_email_address_id", "idn_" + suffix);
        user.put("created_at", createdAt);
        user.put("updated_at", createdAt);
        user.put("last_active_at", createdAt);
        return user;
    }

    /** An organization built from Clerk's example, created after every object so far; not yet added. */
    public synchronized ObjectNode newOrganization(String id) {
        long createdAt = nextCreatedAt();
        ObjectNode organization = organizationTemplate.deepCopy();
        String suffix = id.substring(id.indexOf('_') + 1);
        organization.put("id", id);
        organization.put("name", "Organization " + suffix);
        organization.put("slug", "organization-" + suffix.toLowerCase());
        organization.put("created_at", createdAt);
        organization.put("updated_at", createdAt);
        return organization;
    }

    /** A membership of {@code userId} in an added organization, from Clerk's example; not yet added. */
    public synchronized ObjectNode newMembership(String id, String organizationId, String userId) {
        long createdAt = nextCreatedAt();
        ObjectNode membership = membershipTemplate.deepCopy();
        membership.put("id", id);
        membership.set("organization", find(organizations, organizationId)
                .orElseThrow(() -> new IllegalArgumentException("no organization " + organizationId)).deepCopy());
        ObjectNode publicUserData = (ObjectNode) membership.get("public_user_data");
        publicUserData.put("user_id", userId);
        publicUserData.put("identifier", userId + "@example.com");
        membership.put("created_at", createdAt);
        membership.put("updated_at", createdAt);
        return membership;
    }

    /**
     * A subscription of a user or an organization ({@code payer}: {@code user_…} or {@code org_…}),
     * active, as Clerk's {@code CommerceSubscription}; not yet added. Its payer, as its items show it,
     * has names and an email.
     */
    public synchronized ObjectNode newSubscription(String id, String payer) {
        long createdAt = nextCreatedAt();
        boolean organization = payer.startsWith("org_");
        ObjectNode payerObject = JSON.createObjectNode()
                .put("object", "commerce_payer").put("id", "cpayer_" + payer).put("instance_id", "ins_fake")
                .put("user_id", organization ? null : payer).put("organization_id", organization ? payer : null)
                .put("first_name", organization ? null : "Payer").put("last_name", organization ? null : "Of" + payer)
                .put("email", organization ? null : payer + "@example.com")
                .put("organization_name", organization ? "Organization " + payer : null)
                .put("image_url", "https://img.clerk.com/" + payer)
                .put("created_at", createdAt).put("updated_at", createdAt);
        payerOfSubscription.put(id, payerObject);
        ObjectNode subscription = JSON.createObjectNode()
                .put("object", "commerce_subscription").put("id", id).put("instance_id", "ins_fake")
                .put("status", "active").put("payer_id", payerObject.get("id").asText())
                .put("created_at", createdAt).put("updated_at", createdAt).put("active_at", createdAt)
                .putNull("past_due_at");
        return subscription;
    }

    /** An active monthly item of an added subscription, on the plan {@code planSlug}, as Clerk lists it; not yet added. */
    public synchronized ObjectNode newSubscriptionItem(String id, String subscriptionId, String planSlug) {
        ObjectNode payer = payerOfSubscription.get(subscriptionId);
        if (payer == null || find(subscriptions, subscriptionId).isEmpty()) {
            throw new IllegalArgumentException("no subscription " + subscriptionId);
        }
        long createdAt = nextCreatedAt();
        subscriptionOfItem.put(id, subscriptionId);
        ObjectNode item = JSON.createObjectNode()
                .put("object", "commerce_subscription_item").put("id", id).put("instance_id", "ins_fake")
                .put("status", "active").put("plan_id", "cplan_" + planSlug).put("plan_period", "month")
                .put("payer_id", payer.get("id").asText()).put("is_free_trial", false)
                .put("period_start", createdAt).put("period_end", createdAt + 30L * 24 * 3600 * 1000)
                .putNull("canceled_at").putNull("past_due_at").putNull("ended_at")
                .put("created_at", createdAt).put("updated_at", createdAt);
        item.putObject("plan").put("object", "commerce_plan").put("id", "cplan_" + planSlug).put("slug", planSlug)
                .put("name", "Plan " + planSlug).put("is_default", planSlug.equals("free"));
        item.set("payer", payer.deepCopy());
        return item;
    }

    public synchronized FakeClerkApi add(ObjectNode object) {
        switch (object.path("object").asText()) {
            case "user" -> users.add(object);
            case "organization" -> organizations.add(object);
            case "organization_membership" -> memberships.add(object);
            case "commerce_subscription" -> subscriptions.add(object);
            case "commerce_subscription_item" -> subscriptionItems.add(object);
            default -> throw new IllegalArgumentException("not a user, organization, membership, subscription or item");
        }
        return this;
    }

    /**
     * Adds a subscription {@code csub_<tag>NNNNNN} for each payer, each with one item {@code
     * csub_item_<tag>NNNNNN} on the plan {@code pro}; returns the items' ids.
     */
    public synchronized List<String> generateBilling(String tag, List<String> payers) {
        List<String> items = new ArrayList<>(payers.size());
        for (int i = 1; i <= payers.size(); i++) {
            String subscriptionId = String.format("csub_%s%06d", tag, i);
            add(newSubscription(subscriptionId, payers.get(i - 1)));
            String itemId = String.format("csub_item_%s%06d", tag, i);
            add(newSubscriptionItem(itemId, subscriptionId, "pro"));
            items.add(itemId);
        }
        return items;
    }

    /** Adds {@code count} users {@code user_<prefix>000001}, … in creation order; returns their ids. */
    public synchronized List<String> generateUsers(String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = String.format("user_%s%06d", prefix, i);
            add(newUser(id));
            ids.add(id);
        }
        return ids;
    }

    /** Adds {@code count} users {@code user_000001}, …; for benchmarks and paging tests. */
    public List<String> generateUsers(int count) {
        return generateUsers("", count);
    }

    /** Adds {@code count} organizations, each with a membership for each of {@code members}; returns their ids. */
    public synchronized List<String> generateOrganizations(int count, List<String> members) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String id = String.format("org_%06d", i);
            add(newOrganization(id));
            for (int m = 0; m < members.size(); m++) {
                add(newMembership(String.format("orgmem_%06d_%06d", i, m + 1), id, members.get(m)));
            }
            ids.add(id);
        }
        return ids;
    }

    /** Changes a field of a stored object and moves its {@code updated_at} on, as an edit in Clerk would. */
    public synchronized void update(String id, String field, String value) {
        ObjectNode object = all().stream().filter(node -> id.equals(node.path("id").asText())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no object " + id));
        object.put(field, value);
        object.put("updated_at", object.path("updated_at").asLong() + 1_000);
    }

    /** Deletes a user, organization or membership; an organization takes its memberships with it. */
    public synchronized void delete(String id) {
        boolean removed = users.removeIf(node -> id.equals(node.path("id").asText()))
                | organizations.removeIf(node -> id.equals(node.path("id").asText()))
                | memberships.removeIf(node -> id.equals(node.path("id").asText()));
        if (!removed) {
            throw new IllegalArgumentException("no object " + id);
        }
        memberships.removeIf(node -> id.equals(node.path("organization").path("id").asText()));
    }

    /** A copy of an added subscription item, as the list shows it. */
    public synchronized ObjectNode subscriptionItem(String id) {
        return find(subscriptionItems, id).orElseThrow(() -> new IllegalArgumentException("no item " + id)).deepCopy();
    }

    public synchronized int userCount() {
        return users.size();
    }

    // ---- faults, triggers and the record ------------------------------------------------------

    /** The next {@code times} requests whose path starts with {@code pathPrefix} (e.g. {@code /v1/users}) get the fault. */
    public FakeClerkApi fault(String pathPrefix, int times, Fault fault) {
        return fault(request -> request.path().startsWith(pathPrefix), times, fault);
    }

    public FakeClerkApi fault(Predicate<RecordedRequest> when, int times, Fault fault) {
        faults.add(new ScheduledFault(when, fault, new AtomicInteger(times)));
        return this;
    }

    /** Runs {@code action} (once) when the first request matching {@code when} arrives, before it is answered. */
    public FakeClerkApi onRequest(Predicate<RecordedRequest> when, Runnable action) {
        triggers.add(new Trigger(when, action));
        return this;
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return requests.stream().sorted(Comparator.comparingLong(RecordedRequest::nanos)).toList();
    }

    // ---- serving ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                decode(uri.getRawQuery()), exchange.getRequestHeaders().getFirst("Authorization"), System.nanoTime());
        requests.add(request);
        drain(exchange.getRequestBody());
        for (Trigger trigger : triggers) {
            if (trigger.when().test(request) && triggers.remove(trigger)) {
                trigger.action().run();
            }
        }
        Fault fault = takeFault(request);
        if (fault instanceof Latency latency) {
            // A slow Clerk: the exchange stays open and is answered later, from the timer.
            delayed.schedule(() -> answerLater(exchange, request), latency.delay().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        try (exchange) {
            if (fault instanceof DroppedConnection) {
                // Closing the exchange before any header is sent closes the connection: the client reads nothing.
                return;
            }
            if (fault instanceof TooManyRequests tooMany) {
                if (tooMany.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", tooMany.retryAfter());
                }
                answer(exchange, request, 429, error("too_many_requests", "Too many requests"));
                return;
            } else if (fault instanceof ErrorStatus errorStatus) {
                answer(exchange, request, errorStatus.status(), error("injected_error", "Injected by the test"));
                return;
            }
            serve(exchange, request);
        }
    }

    /** A held-back answer; a client that gave up meanwhile has closed the connection, and nobody reads it. */
    private void answerLater(HttpExchange exchange, RecordedRequest request) {
        try (exchange) {
            serve(exchange, request);
        } catch (IOException e) {
            // the client is gone
        }
    }

    /** The answer to a request no fault stopped: Svix's portal page, or Clerk's API. */
    private void serve(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (request.path().equals(SVIX_PORTAL_PATH)) {
            // Svix's page, not Clerk's API: the link itself is the credential.
            byte[] page = ("<!DOCTYPE html><title>" + SVIX_PORTAL_TITLE + "</title><link rel=\"icon\" href=\"data:,\">"
                    + "<h1>" + SVIX_PORTAL_TITLE + "</h1>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            request.status = 200;
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            return;
        }
        if (!("Bearer " + KEY).equals(request.authorization())) {
            answer(exchange, request, 401, error("authentication_invalid", "Unauthorized request"));
            return;
        }
        if (request.method().equals("POST") && request.path().equals("/v1/webhooks/svix_url")) {
            answer(exchange, request, 200, JSON.createObjectNode()
                    .put("svix_url", svixUrl == null ? svixPortalUrl().toString() : svixUrl));
            return;
        }
        if (!request.method().equals("GET")) {
            answer(exchange, request, 405, error("method_not_allowed", "Only GET is served here"));
            return;
        }
        Answer answer = route(request);
        answer(exchange, request, answer.status(), answer.body());
    }

    private record Answer(int status, JsonNode body) {
    }

    private synchronized Answer route(RecordedRequest request) {
        String path = request.path();
        try {
            if (path.equals("/v1/users")) {
                return new Answer(200, listUsers(request));
            }
            if (path.equals("/v1/users/count")) {
                return new Answer(200, JSON.createObjectNode().put("object", "total_count").put("total_count", users.size()));
            }
            if (path.equals("/v1/organizations")) {
                return new Answer(200, paged(organizations, request, node -> true));
            }
            if (path.equals("/v1/billing/subscription_items")) {
                boolean includeFree = "true".equals(request.param("include_free"));
                return new Answer(200, paged(subscriptionItems, request,
                        node -> includeFree || !node.path("plan").path("is_default").asBoolean()));
            }
            Matcher m = PAYER_SUBSCRIPTION.matcher(path);
            if (m.matches()) {
                return payersSubscription(m.group(1).equals("users") ? "user_id" : "organization_id", m.group(2));
            }
            m = MEMBERSHIPS.matcher(path);
            if (m.matches()) {
                String organizationId = m.group(1);
                if (find(organizations, organizationId).isEmpty()) {
                    return notFound();
                }
                Set<String> userIds = request.params("user_id").stream().collect(Collectors.toSet());
                return new Answer(200, paged(memberships, request, node ->
                        organizationId.equals(node.path("organization").path("id").asText())
                                && (userIds.isEmpty() || userIds.contains(node.path("public_user_data").path("user_id").asText()))));
            }
            m = USER.matcher(path);
            if (m.matches()) {
                return find(users, m.group(1)).map(node -> new Answer(200, node)).orElseGet(FakeClerkApi::notFound);
            }
            m = ORGANIZATION.matcher(path);
            if (m.matches()) {
                String idOrSlug = m.group(1);
                return organizations.stream()
                        .filter(node -> idOrSlug.equals(node.path("id").asText()) || idOrSlug.equals(node.path("slug").asText()))
                        .findFirst().map(node -> new Answer(200, (JsonNode) node)).orElseGet(FakeClerkApi::notFound);
            }
            return notFound();
        } catch (BadParameter e) {
            return new Answer(422, error("form_param_format_invalid", e.getMessage()));
        }
    }

    /** The payer's subscription with its items, as Clerk answers it; 404 when the payer has none. */
    private Answer payersSubscription(String payerField, String payerId) {
        for (ObjectNode subscription : subscriptions) {
            String id = subscription.path("id").asText();
            if (payerId.equals(payerOfSubscription.get(id).path(payerField).asText(null))) {
                ObjectNode answer = subscription.deepCopy();
                ArrayNode items = answer.putArray("subscription_items");
                subscriptionItems.stream().filter(item -> id.equals(subscriptionOfItem.get(item.path("id").asText())))
                        .forEach(item -> items.add(item.deepCopy()));
                return new Answer(200, answer);
            }
        }
        return notFound();
    }

    private JsonNode listUsers(RecordedRequest request) {
        String startingAfter = request.param("starting_after");
        if (startingAfter == null) {
            return paged(users, request, node -> true).get("data");
        }
        if (offset(request) != 0) {
            throw new BadParameter("starting_after cannot be combined with a non-zero offset");
        }
        List<ObjectNode> sorted = sorted(users, request, node -> true);
        int at = -1;
        for (int i = 0; i < sorted.size(); i++) {
            if (startingAfter.equals(sorted.get(i).path("id").asText())) {
                at = i;
            }
        }
        if (at < 0) {
            // Clerk's reference does not say what a cursor on a deleted user does; the fake refuses it.
            throw new BadParameter("starting_after: no such user");
        }
        ArrayNode page = JSON.createArrayNode();
        sorted.stream().skip(at + 1L).limit(limit(request)).forEach(node -> page.add(node.deepCopy()));
        return page;
    }

    private ObjectNode paged(List<ObjectNode> source, RecordedRequest request, Predicate<JsonNode> filter) {
        List<ObjectNode> sorted = sorted(source, request, filter);
        ArrayNode data = JSON.createArrayNode();
        sorted.stream().skip(offset(request)).limit(limit(request)).forEach(node -> data.add(node.deepCopy()));
        ObjectNode page = JSON.createObjectNode();
        page.set("data", data);
        page.put("total_count", sorted.size());
        return page;
    }

    private static List<ObjectNode> sorted(List<ObjectNode> source, RecordedRequest request, Predicate<JsonNode> filter) {
        String orderBy = request.param("order_by") == null ? "-created_at" : request.param("order_by");
        Comparator<JsonNode> order = switch (orderBy) {
            case "created_at", "+created_at" -> OLDEST_FIRST;
            case "-created_at" -> OLDEST_FIRST.reversed();
            default -> throw new BadParameter("order_by '" + orderBy + "' is not supported here");
        };
        return source.stream().filter(filter).sorted(order).toList();
    }

    private static int limit(RecordedRequest request) {
        String value = request.param("limit");
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        int limit = integer(value, "limit");
        if (limit < 1) {
            throw new BadParameter("limit must be greater than zero");
        }
        // Clerk does not refuse a larger limit: it quietly answers with its default page of 10.
        return limit > MAX_LIMIT ? DEFAULT_LIMIT : limit;
    }

    private static long offset(RecordedRequest request) {
        String value = request.param("offset");
        int offset = value == null ? 0 : integer(value, "offset");
        if (offset < 0) {
            throw new BadParameter("offset must be zero or more");
        }
        return offset;
    }

    private static int integer(String value, String name) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadParameter(name + " must be an integer");
        }
    }

    private static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message);
        }
    }

    private Fault takeFault(RecordedRequest request) {
        for (ScheduledFault scheduled : faults) {
            if (scheduled.when().test(request)) {
                int left = scheduled.remaining().getAndDecrement();
                if (left > 0) {
                    if (left == 1) {
                        faults.remove(scheduled);
                    }
                    return scheduled.fault();
                }
            }
        }
        return null;
    }

    private static void answer(HttpExchange exchange, RecordedRequest request, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        request.status = status;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Answer notFound() {
        return new Answer(404, error("resource_not_found", "Resource not found"));
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errors").addObject().put("message", message).put("long_message", message).put("code", code);
        return body;
    }

    private static Optional<ObjectNode> find(List<ObjectNode> source, String id) {
        return source.stream().filter(node -> id.equals(node.path("id").asText())).findFirst();
    }

    private List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>(users);
        all.addAll(organizations);
        all.addAll(memberships);
        all.addAll(subscriptions);
        all.addAll(subscriptionItems);
        return all;
    }

    private long nextCreatedAt() {
        lastCreatedAt += 1_000;
        return lastCreatedAt;
    }

    private static Map<String, List<String>> decode(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    private static ObjectNode template(String name) {
        try (InputStream in = FakeClerkApi.class.getResourceAsStream("/clerk-fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource clerk-fixtures/" + name);
            }
            return (ObjectNode) JSON.readTree(in).get("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
