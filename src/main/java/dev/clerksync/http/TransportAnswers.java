package dev.clerksync.http;

import dev.clerksync.verify.RejectionReason;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;

/**
 * What the webhook port answers before a request reaches a route: a body over the limit (413) and a
 * method other than POST (405). Both are logged and counted as the route's own rejections are.
 */
public final class TransportAnswers {

    private final DeliveryMetrics metrics;

    private TransportAnswers(DeliveryMetrics metrics) {
        this.metrics = metrics;
    }

    /** Installs the answers on the router of the webhook port once the HTTP server is up. */
    public static void install(CamelContext context, int port, DeliveryMetrics metrics) throws Exception {
        TransportAnswers answers = new TransportAnswers(metrics);
        RequestDeadline.onRouterOf(context, port, router -> router.route().order(Integer.MIN_VALUE)
                .handler(answers::onMethodNotAllowed).failureHandler(answers::answerTransportFailures));
    }

    /**
     * A body over the limit gets a 413 with a JSON body; a connection closed before its request was
     * read (cut off here, or a client giving up) leaves nobody to answer. Vert.x would log each one
     * as an error, which a hostile client could use to flood the log.
     */
    private void answerTransportFailures(RoutingContext routing) {
        if (routing.failure() instanceof HttpClosedException) {
            return;
        }
        if (routing.failure() == null && routing.statusCode() == 413 && !routing.response().ended()) {
            reject(routing, RejectionReason.BODY_TOO_LARGE);
            return;
        }
        routing.next();
    }

    /**
     * Vert.x answers a path served for other methods itself, after every route, with an empty Allow
     * header (the router's catch-all routes, such as this one, allow no method of their own); every
     * route of this port takes POST only (routes/webhook.camel.yaml). The router's error handler for
     * 405 is not the one this router would set: camel-platform-http mounts it under another.
     */
    private void onMethodNotAllowed(RoutingContext routing) {
        routing.addHeadersEndHandler(ending -> {
            if (routing.response().getStatusCode() == 405) {
                routing.response().putHeader("Allow", "POST");
                counted(RejectionReason.METHOD_NOT_ALLOWED);
            }
        });
        routing.next();
    }

    private void reject(RoutingContext routing, RejectionReason reason) {
        routing.response().setStatusCode(reason.status())
                .putHeader("Content-Type", "application/json")
                .end(JsonResponses.errorBody(reason.publicMessage()));
        counted(reason);
    }

    private void counted(RejectionReason reason) {
        metrics.rejected(reason);
        DeliveryResponder.DELIVERIES.info("rejected status={} reason={}", reason.status(), reason.label());
    }
}
