package dev.clerksync.admin;

import java.time.Clock;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Puts the admin view on the management port. camel-main's platform-http routes bind the server of
 * {@code camel.server.*} only (the webhook port), and the management server of {@code
 * camel.management.*} serves its own fixed endpoints; so the view is a Vert.x handler on the
 * management server's router, found by its port as RequestDeadline finds the webhook port's.
 */
public final class AdminView {

    private AdminView() {
    }

    /** Installs the handler for {@code /admin} once the management server is up; credentials null means 404. */
    public static void install(CamelContext context, int managementPort, AdminCredentials credentials,
            List<AdminStoreReads> stores, SqlAdminReads sql) throws Exception {
        AdminHttpHandler handler = new AdminHttpHandler(credentials,
                new AdminApi(stores, sql, ChangeEventBacklog.NONE, Clock.systemUTC()));
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the management router exists only once its server has started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(started,
                        VertxPlatformHttpRouter.getRouterNameFromPort(managementPort));
                if (router == null) {
                    throw new IllegalStateException("no HTTP router for the management port " + managementPort);
                }
                router.route("/admin").handler(handler);
                router.route("/admin/*").handler(handler);
            }
        });
    }
}
