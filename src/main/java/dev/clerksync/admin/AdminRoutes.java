package dev.clerksync.admin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.store.RecordKind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code /admin} path of the management port, as a vertx-web router to mount on {@code
 * /admin/*}: the credential check in front of every path, then the page's files from the jar and
 * the JSON API by method and path. Store reads block, so the API runs on Vert.x's worker threads.
 * Every answer carries {@code Cache-Control: no-store}: what it shows is personal data.
 */
final class AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    private static final String NOT_FOUND = "{\"error\":\"not found\"}";

    /** The one path that takes POST: it has Clerk issue a new sign-in link (the stores stay as they are). */
    private static final String SVIX_PORTAL = "/api/svix-portal";

    private final AdminCredentials credentials;
    private final AdminApi api;
    private final SvixPortal svixPortal;

    /**
     * With a null credential (no ADMIN_TOKEN) every /admin path answers 404; with a null portal (no
     * CLERK_SECRET_KEY) the Svix portal link says why there is none.
     */
    AdminRoutes(AdminCredentials credentials, AdminApi api, SvixPortal svixPortal) {
        this.credentials = credentials;
        this.api = api;
        this.svixPortal = svixPortal;
    }

    /**
     * Tried in this order: the credentials on every path, the one path that takes POST, the reads by
     * method and path, and last what no read took.
     */
    Router router(Vertx vertx) {
        Router admin = Router.router(vertx);
        admin.route().handler(this::checkCredentials);
        admin.get(SVIX_PORTAL).handler(this::svixPortalAvailability);
        admin.post(SVIX_PORTAL).handler(this::refuseSvixPortalLink).blockingHandler(this::svixPortalLink, false);
        admin.route(SVIX_PORTAL).handler(routing -> methodNotAllowed(routing, "GET, POST"));
        // Mounted on /admin/*, the router sees /admin itself as the empty path.
        readable(admin.routeWithRegex("")).handler(routing -> routing.response()
                .setStatusCode(302).putHeader("Location", "/admin/").end());
        // Only the page's three files, not whatever else a jar on the classpath has under admin/.
        readable(admin.routeWithRegex("/(?:admin\\.js|admin\\.css)?")).handler(AdminRoutes::pagePolicy).handler(pageFiles());
        read(admin, "/api/deliveries", routing -> api.deliveries(DeliveryFilter.fromQuery(query(routing))));
        // An id comes percent-decoded, as the page encodes it (encodeURIComponent); a '+' is a '+'.
        read(admin, "/api/deliveries/:id", routing -> api.delivery(routing.pathParam("id")));
        read(admin, "/api/records/:id", routing -> api.record(routing.pathParam("id")));
        read(admin, "/api/users", routing -> api.records(RecordKind.USER, RecordSearch.fromQuery(query(routing))));
        read(admin, "/api/organizations",
                routing -> api.records(RecordKind.ORGANIZATION, RecordSearch.fromQuery(query(routing))));
        read(admin, "/api/status", routing -> api.status());
        // Read-only: any other method is refused on every path, known or not.
        admin.route().handler(routing -> {
            if (routing.request().method() == HttpMethod.GET || routing.request().method() == HttpMethod.HEAD) {
                json(routing, 404, NOT_FOUND);
            } else {
                methodNotAllowed(routing, "GET, HEAD");
            }
        });
        admin.route().failureHandler(routing -> {
            LOG.warn("admin: {} {} failed", routing.request().method(), routing.request().path(), routing.failure());
            json(routing, 500, "{\"error\":\"internal error\"}");
        });
        return admin;
    }

    /** GET, and HEAD answered as GET: vertx-web's {@code get(…)} would leave HEAD to the 404. */
    private static Route readable(Route route) {
        return route.method(HttpMethod.GET).method(HttpMethod.HEAD);
    }

    private void checkCredentials(RoutingContext routing) {
        routing.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
        if (credentials == null) {
            json(routing, 404, NOT_FOUND);
        } else if (!credentials.accepts(routing.request().getHeader("Authorization"))) {
            routing.response().putHeader("WWW-Authenticate", "Basic realm=\"clerk-sync\"");
            json(routing, 401, "{\"error\":\"admin token required\"}");
        } else {
            routing.next();
        }
    }

    /** Whether the link can be had ({@code available}, else the {@code reason}). */
    private void svixPortalAvailability(RoutingContext routing) {
        json(routing, 200, (svixPortal == null
                ? JsonValues.object().put("available", false).put("reason", SvixPortal.NO_KEY)
                : JsonValues.object().put("available", true)).toString());
    }

    /**
     * A POST from another site's page is refused: the browser would send the Basic credentials it
     * holds along with it. Without a key there is no link to ask Clerk for.
     */
    private void refuseSvixPortalLink(RoutingContext routing) {
        if (!sameOrigin(routing)) {
            json(routing, 403, error("a page of another site cannot ask for the Svix portal link"));
        } else if (svixPortal == null) {
            json(routing, 404, error(SvixPortal.NO_KEY));
        } else {
            routing.next();
        }
    }

    /** A fresh link, {@code {"url": …}}; Clerk refusing or failing is a 502 that says why. */
    private void svixPortalLink(RoutingContext routing) {
        try {
            json(routing, 200, JsonValues.object().put("url", svixPortal.link().toString()).toString());
        } catch (SvixPortal.SvixPortalException e) {
            LOG.warn("admin: no Svix portal link: {}", e.getMessage());
            json(routing, 502, error(e.getMessage()));
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

    /** A GET of the JSON API, answered from a worker thread: null is a 404, a bad parameter a 400. */
    private static void read(Router admin, String path, Function<RoutingContext, JsonNode> answer) {
        readable(admin.route(path)).blockingHandler(routing -> {
            try {
                JsonNode body = answer.apply(routing);
                if (body == null) {
                    json(routing, 404, NOT_FOUND);
                } else {
                    json(routing, 200, JsonValues.MAPPER.writeValueAsString(body));
                }
            } catch (IllegalArgumentException e) {
                json(routing, 400, error(e.getMessage()));
            } catch (StoreReadException e) {
                LOG.warn("admin API: {}", e.getMessage(), e.getCause());
                json(routing, 503, error(e.getMessage()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, false);
    }

    /**
     * The files of {@code src/main/resources/admin}, {@code /admin/} being its index.html. Nothing for
     * a cache to keep or revalidate (no {@code Last-Modified}), no ranges of files this small, and
     * UTF-8 as they are written, whatever the platform's charset.
     */
    private static StaticHandler pageFiles() {
        return StaticHandler.create("admin").setCachingEnabled(false).setEnableRangeSupport(false)
                .setDefaultContentEncoding("UTF-8");
    }

    /**
     * The page only runs its own script and styles: a stored string that slipped into markup could
     * still not load or run anything.
     */
    private static void pagePolicy(RoutingContext routing) {
        routing.response()
                .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                        + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
                .putHeader("Referrer-Policy", "no-referrer");
        routing.next();
    }

    private static String error(String message) {
        return JsonValues.object().put("error", message).toString();
    }

    private static Map<String, String> query(RoutingContext routing) {
        Map<String, String> query = new LinkedHashMap<>();
        routing.queryParams().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
        return query;
    }

    private static void methodNotAllowed(RoutingContext routing, String allow) {
        routing.response().putHeader("Allow", allow);
        json(routing, 405, "{\"error\":\"method not allowed\"}");
    }

    private static void json(RoutingContext routing, int status, String body) {
        routing.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
