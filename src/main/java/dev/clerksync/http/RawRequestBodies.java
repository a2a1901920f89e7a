package dev.clerksync.http;

import io.vertx.core.http.HttpHeaders;
import org.apache.camel.CamelContext;

/**
 * The webhook port takes every body as the bytes sent, whatever its Content-Type says (contract §1):
 * the signature covers those bytes. Given a form type (curl's default for {@code --data-binary}),
 * Vert.x and camel-platform-http-vertx would parse the body into form fields and hand the route no
 * body at all; with the header removed before the body is read, they pass the bytes through. The
 * webhook port serves nothing else, and the route drops every request header after verification.
 */
public final class RawRequestBodies {

    private RawRequestBodies() {
    }

    /** Removes Content-Type from each request on the webhook port before its body is read. */
    public static void install(CamelContext context, int port) throws Exception {
        RequestDeadline.onRouterOf(context, port, router -> router.route().order(Integer.MIN_VALUE).handler(routing -> {
            routing.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            routing.next();
        }));
    }
}
