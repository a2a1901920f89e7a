package dev.clerksync.http;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;

/**
 * Counts every answer of the webhook port by its status, whoever gave it: the route (200, 4xx, 503,
 * 500), the transport (413, 405) or the request deadline (408). The 5xx ratio alert and the time of
 * the last 5xx come from here ({@link DeliveryMetrics#answered}).
 */
public final class ResponseStatuses {

    private ResponseStatuses() {
    }

    /** Installs the count on the router of the webhook port once the HTTP server is up. */
    public static void install(CamelContext context, int port, DeliveryMetrics metrics) throws Exception {
        RequestDeadline.onRouterOf(context, port, router -> router.route().order(Integer.MIN_VALUE)
                .handler(routing -> count(routing, metrics)));
    }

    private static void count(RoutingContext routing, DeliveryMetrics metrics) {
        routing.addHeadersEndHandler(ending -> metrics.answered(routing.response().getStatusCode()));
        routing.next();
    }
}
