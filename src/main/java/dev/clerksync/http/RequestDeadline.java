package dev.clerksync.http;

import java.util.function.Consumer;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * A deadline for each request on the webhook port: a client that has not sent its whole request
 * (a body dribbled byte by byte, say) when it runs out gets a 408 and its connection closed, so that
 * slow clients cannot hold connections and memory for ever. Installed as the router's first handler;
 * {@link TransportAnswers} answers what goes wrong before a route is reached.
 */
public final class RequestDeadline implements Handler<RoutingContext> {

    private final long timeoutMillis;

    private RequestDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Installs the deadline on the router of the webhook port once the HTTP server is up. */
    public static void install(CamelContext context, int port, long timeoutMillis) throws Exception {
        onRouterOf(context, port, router -> router.route().order(Integer.MIN_VALUE).handler(new RequestDeadline(timeoutMillis)));
    }

    /** Gives the router of the webhook port to {@code setUp} once the HTTP server is up. */
    static void onRouterOf(CamelContext context, int port, Consumer<VertxPlatformHttpRouter> setUp) throws Exception {
        PortRouters.onceStarted(context, port, router -> {
            VertxPlatformHttpRouter serving = router != null ? router
                    : VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO);
            if (serving == null) {
                throw new IllegalStateException("no HTTP router for port " + port);
            }
            setUp.accept(serving);
        });
    }

    @Override
    public void handle(RoutingContext routing) {
        long timer = routing.vertx().setTimer(timeoutMillis, id -> {
            if (!routing.response().ended() && !routing.response().closed()) {
                routing.response().setStatusCode(408)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end("{\"error\":\"request not received in time\"}");
            }
            routing.request().connection().close();
        });
        routing.addEndHandler(done -> routing.vertx().cancelTimer(timer));
        routing.next();
    }
}
