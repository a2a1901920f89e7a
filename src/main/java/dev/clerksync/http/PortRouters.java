package dev.clerksync.http;

import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The Vert.x router that serves a port, for handlers that Camel's routes cannot express (a deadline
 * per request, the admin view on the management port). A router exists only once its server has
 * started, so it is handed over when the context has fully started.
 */
public final class PortRouters {

    private PortRouters() {
    }

    /** Gives {@code setUp} the router of {@code port} once the context has fully started; null when no server serves it. */
    public static void onceStarted(CamelContext context, int port, Consumer<VertxPlatformHttpRouter> setUp) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the router exists only once its server has started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                setUp.accept(VertxPlatformHttpRouter.lookup(started, VertxPlatformHttpRouter.getRouterNameFromPort(port)));
            }
        });
    }
}
