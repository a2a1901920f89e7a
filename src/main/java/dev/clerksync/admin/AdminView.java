package dev.clerksync.admin;

import java.time.Clock;
import java.util.List;

import dev.clerksync.http.PortRouters;
import org.apache.camel.CamelContext;

/**
 * Puts the admin view on the management port. camel-main's platform-http routes bind the server of
 * {@code camel.server.*} only (the webhook port), and the management server of {@code
 * camel.management.*} serves its own fixed endpoints; so the view is a vertx-web sub-router mounted
 * on the management server's router, found by its port as RequestDeadline finds the webhook port's.
 */
public final class AdminView {

    private AdminView() {
    }

    /** The registry name under which a change-event outbox binds its {@link ChangeEventBacklog}. */
    public static final String BACKLOG_BEAN = "changeEventBacklog";

    /** The registry name under which the mappings bind their {@link MappedReads} (none: no mapped rows shown). */
    public static final String MAPPED_BEAN = "mappedReads";

    /**
     * Mounts the routes of {@code /admin} once the management server is up; credentials null
     * means 404. The status panel's change-event backlog is the {@link ChangeEventBacklog} bound as
     * {@value #BACKLOG_BEAN} when the context starts, none otherwise. A null portal: no CLERK_SECRET_KEY.
     */
    public static void install(CamelContext context, int managementPort, AdminCredentials credentials,
            List<AdminStoreReads> stores, SqlAdminReads sql, SvixPortal svixPortal) throws Exception {
        ChangeEventBacklog backlog = new ChangeEventBacklog() {
            @Override
            public com.fasterxml.jackson.databind.JsonNode describe() {
                ChangeEventBacklog bound = context.getRegistry().lookupByNameAndType(BACKLOG_BEAN, ChangeEventBacklog.class);
                return (bound == null ? ChangeEventBacklog.NONE : bound).describe();
            }
        };
        MappedReads mapped = (kind, id, own) -> {
            MappedReads bound = context.getRegistry().lookupByNameAndType(MAPPED_BEAN, MappedReads.class);
            return (bound == null ? MappedReads.NONE : bound).of(kind, id, own);
        };
        AdminRoutes routes = new AdminRoutes(credentials, new AdminApi(stores, sql, backlog, mapped, Clock.systemUTC()),
                svixPortal);
        PortRouters.onceStarted(context, managementPort, router -> {
            if (router == null && credentials == null) {
                // camel.management.enabled=false: no management port, so no /admin to answer 404 on
                return;
            }
            if (router == null) {
                throw new IllegalStateException("ADMIN_TOKEN is set but there is no management server on port "
                        + managementPort + " (camel.management.enabled)");
            }
            // "/admin/*" takes "/admin" as well: the sub-router answers it with its redirect.
            router.route("/admin/*").subRouter(routes.router(router.vertx()));
        });
    }
}
