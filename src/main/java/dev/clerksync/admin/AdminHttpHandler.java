package dev.clerksync.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.store.RecordKind;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every {@code /admin} path of the management port: the credential check first, then the
 * page's files from the jar or the JSON API. Store reads block, so the API runs on Vert.x's worker
 * threads. Every answer carries {@code Cache-Control: no-store}: what it shows is personal data.
 */
public final class AdminHttpHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String API = "/admin/api/";
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/admin/", "index.html", "/admin/admin.js", "admin.js", "/admin/admin.css", "admin.css");

    /** The one path that takes POST: it has Clerk issue a new sign-in link (the stores stay as they are). */
    private static final String SVIX_PORTAL = API + "svix-portal";

    private final AdminCredentials credentials;
    private final AdminApi api;
    private final SvixPortal svixPortal;

    /**
     * With a null credential (no ADMIN_TOKEN) every /admin path answers 404; with a null portal (no
     * CLERK_SECRET_KEY) the Svix portal link says why there is none.
     */
    public AdminHttpHandler(AdminCredentials credentials, AdminApi api, SvixPortal svixPortal) {
        this.credentials = credentials;
        this.api = api;
        this.svixPortal = svixPortal;
    }

    @Override
    public void handle(RoutingContext routing) {
        HttpServerResponse response = routing.response();
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("X-Content-Type-Options", "nosniff");
        String path = routing.request().path();
        if (credentials == null) {
            json(routing, 404, "{\"error\":\"not found\"}");
            return;
        }
        if (!credentials.accepts(routing.request().getHeader("Authorization"))) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"clerk-sync\"");
            json(routing, 401, "{\"error\":\"admin token required\"}");
            return;
        }
        if (path.equals(SVIX_PORTAL)) {
            svixPortal(routing);
            return;
        }
        // Read-only: nothing else under /admin changes anything.
        if (routing.request().method() != HttpMethod.GET && routing.request().method() != HttpMethod.HEAD) {
            response.putHeader("Allow", "GET, HEAD");
            json(routing, 405, "{\"error\":\"method not allowed\"}");
            return;
        }
        if (path.equals("/admin")) {
            response.setStatusCode(302).putHeader("Location", "/admin/").end();
        } else if (PAGE_FILES.containsKey(path)) {
            pageFile(routing, PAGE_FILES.get(path));
        } else if (path.startsWith(API)) {
            routing.vertx().<Answer>executeBlocking(() -> answer(path.substring(API.length()), routing), false)
                    .onSuccess(answer -> json(routing, answer.status(), answer.body()))
                    .onFailure(failure -> {
                        LOG.warn("admin API {} failed", path, failure);
                        json(routing, 500, "{\"error\":\"internal error\"}");
                    });
        } else {
            json(routing, 404, "{\"error\":\"not found\"}");
        }
    }

    record Answer(int status, String body) {
    }

    /**
     * {@code GET}: whether the link can be had ({@code available}, else the {@code reason});
     * {@code POST}: a fresh link, {@code {"url": …}}. A POST from another site's page is refused: the
     * browser would send the Basic credentials it holds along with it.
     */
    private void svixPortal(RoutingContext routing) {
        HttpMethod method = routing.request().method();
        if (method == HttpMethod.GET) {
            json(routing, 200, (svixPortal == null
                    ? JsonValues.object().put("available", false).put("reason", SvixPortal.NO_KEY)
                    : JsonValues.object().put("available", true)).toString());
        } else if (method != HttpMethod.POST) {
            routing.response().putHeader("Allow", "GET, POST");
            json(routing, 405, "{\"error\":\"method not allowed\"}");
        } else if (!sameOrigin(routing)) {
            json(routing, 403, error("a page of another site cannot ask for the Svix portal link"));
        } else if (svixPortal == null) {
            json(routing, 404, error(SvixPortal.NO_KEY));
        } else {
            routing.vertx().<Answer>executeBlocking(() -> {
                try {
                    return new Answer(200, JsonValues.object().put("url", svixPortal.link().toString()).toString());
                } catch (SvixPortal.SvixPortalException e) {
                    LOG.warn("admin: no Svix portal link: {}", e.getMessage());
                    return new Answer(502, error(e.getMessage()));
                }
            }, false).onSuccess(answer -> json(routing, answer.status(), answer.body()))
                    .onFailure(failure -> {
                        LOG.warn("admin: asking Clerk for the Svix portal link failed", failure);
                        json(routing, 500, "{\"error\":\"internal error\"}");
                    });
        }
    }

    /** No {@code Origin} (curl, scripts) or this very host's. */
    private static boolean sameOrigin(RoutingContext routing) {
        String origin = routing.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        try {
            String host = URI.create(origin).getRawAuthority();
            return host != null && host.equalsIgnoreCase(routing.request().getHeader("Host"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Answer answer(String route, RoutingContext routing) {
        try {
            if (route.equals("deliveries")) {
                return ok(() -> api.deliveries(DeliveryFilter.fromQuery(query(routing))));
            }
            if (route.startsWith("deliveries/") && route.length() > "deliveries/".length()) {
                return ok(() -> api.delivery(decode(route.substring("deliveries/".length()))));
            }
            if (route.startsWith("records/") && route.length() > "records/".length()) {
                return ok(() -> api.record(decode(route.substring("records/".length()))));
            }
            if (route.equals("users")) {
                return ok(() -> api.records(RecordKind.USER, RecordSearch.fromQuery(query(routing))));
            }
            if (route.equals("organizations")) {
                return ok(() -> api.records(RecordKind.ORGANIZATION, RecordSearch.fromQuery(query(routing))));
            }
            if (route.equals("status")) {
                return ok(api::status);
            }
            return notFound();
        } catch (IllegalArgumentException e) {
            return new Answer(400, error(e.getMessage()));
        } catch (StoreReadException e) {
            LOG.warn("admin API: {}", e.getMessage(), e.getCause());
            return new Answer(503, error(e.getMessage()));
        }
    }

    private static Answer ok(Supplier<JsonNode> body) {
        JsonNode node = body.get();
        if (node == null) {
            return notFound();
        }
        try {
            return new Answer(200, JsonValues.MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer notFound() {
        return new Answer(404, "{\"error\":\"not found\"}");
    }

    private static String error(String message) {
        return JsonValues.object().put("error", message).toString();
    }

    private static Map<String, String> query(RoutingContext routing) {
        Map<String, String> query = new LinkedHashMap<>();
        routing.queryParams().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
        return query;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void json(RoutingContext routing, int status, String body) {
        routing.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    private static void pageFile(RoutingContext routing, String name) {
        try (InputStream in = AdminHttpHandler.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                json(routing, 404, "{\"error\":\"not found\"}");
                return;
            }
            routing.response()
                    .putHeader("Content-Type", contentType(name))
                    // The page only runs its own script and styles: a stored string that slipped into
                    // markup could still not load or run anything.
                    .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .setStatusCode(200).end(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            json(routing, 500, "{\"error\":\"internal error\"}");
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/html; charset=utf-8";
    }
}
