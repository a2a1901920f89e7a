package dev.clerksync.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook port's connections before and between their requests (docs/reliability.md,
 * docs/design.md decision 14): a connection whose request head (request line and headers) is not
 * complete {@code WEBHOOK_HEADER_TIMEOUT_SECONDS} after it opened is closed, however it trickles; a
 * kept-alive connection quiet for {@code WEBHOOK_IDLE_TIMEOUT_SECONDS} after its last answer is
 * closed; a client address with {@code WEBHOOK_MAX_CONNECTIONS_PER_ADDRESS} connections open has the
 * next one closed at once. {@link RequestDeadline} takes over once a request's head is in.
 *
 * <p>camel-platform-http-vertx gives no hook on the server's connections (it builds its
 * {@code HttpServerOptions} itself and listens before anyone could set a connection handler), but it
 * uses the Vert.x instance it finds in the registry. {@link #install} binds one built with a
 * transport that puts {@link ConnectionDeadlines} first in the pipeline of every connection accepted
 * on the webhook port, before Vert.x reads a byte or starts a TLS handshake.
 */
public final class WebhookConnections {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConnections.class);
    static final String VERTX_BEAN = "clerkSyncVertx";

    private final int port;
    private final long headerTimeoutMillis;
    private final long idleTimeoutMillis;
    private final int maxPerAddress;
    private final ClientAddresses addresses;
    private final DeliveryMetrics metrics;
    /** Open connections per client address; an address leaves the map with its last connection. */
    private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private Vertx vertx;

    public WebhookConnections(int port, int headerTimeoutSeconds, int idleTimeoutSeconds, int maxPerAddress,
            ClientAddresses addresses, DeliveryMetrics metrics) {
        this.port = port;
        this.headerTimeoutMillis = TimeUnit.SECONDS.toMillis(headerTimeoutSeconds);
        this.idleTimeoutMillis = TimeUnit.SECONDS.toMillis(idleTimeoutSeconds);
        this.maxPerAddress = maxPerAddress;
        this.addresses = addresses;
        this.metrics = metrics;
    }

    /**
     * Binds the Vert.x instance, made when a server first looks for it (so that a start-up that fails
     * earlier leaves no event loop threads behind), closes it once the context and both servers have
     * stopped (Camel does not close an instance it did not make), and tells each connection when its
     * requests start and end, from the first handler of the webhook port's router: a request reaches
     * the router as soon as its head is decoded.
     */
    public void install(CamelContext context) throws Exception {
        context.getRegistry().bind(VERTX_BEAN, Vertx.class, (Supplier<Object>) this::vertx);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                close();
            }
        });
        RequestDeadline.onRouterOf(context, port, router -> router.route().order(Integer.MIN_VALUE).handler(this::track));
    }

    /** Both HTTP servers of camel-main take it; the management port's connections pass through untouched. */
    synchronized Vertx vertx() {
        if (vertx == null) {
            // VertxBuilder is how Vert.x 4 builds an instance on a transport of one's choosing (Vert.x 5
            // makes that public API); the options are the defaults Camel would use.
            vertx = new VertxBuilder(new VertxOptions()).findTransport(new GuardedTransport(this)).init().vertx();
        }
        return vertx;
    }

    private synchronized void close() {
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
            vertx = null;
        }
    }

    private void track(RoutingContext routing) {
        // Vert.x's connections keep their Netty channel; no public API leads from a request to it.
        Channel channel = ((ConnectionBase) routing.request().connection()).channel();
        ConnectionDeadlines deadlines = channel.attr(ConnectionDeadlines.KEY).get();
        if (deadlines != null) {
            deadlines.requestStarted();
            routing.addEndHandler(done -> deadlines.requestEnded());
        }
        routing.next();
    }

    /** Whether a connection accepted by one of this Vert.x's servers is the webhook port's. */
    boolean guards(Channel accepted) {
        return accepted.localAddress() instanceof InetSocketAddress local && local.getPort() == port;
    }

    ConnectionDeadlines deadlines() {
        return new ConnectionDeadlines(this, headerTimeoutMillis, idleTimeoutMillis);
    }

    /**
     * Takes one of the address's connections, or says it has none left. Trusted proxies carry many
     * clients over their connections: they have no cap, as they have their own rate limit budgets per
     * forwarded client.
     */
    boolean admit(InetAddress client) {
        if (maxPerAddress <= 0 || addresses.trusts(client)) {
            return true;
        }
        boolean[] admitted = {false};
        open.compute(client, (address, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** Gives back a connection {@link #admit} took (a no-op for an address without a cap). */
    void release(InetAddress client) {
        if (maxPerAddress <= 0 || addresses.trusts(client)) {
            return;
        }
        open.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
    }

    void closed(String reason) {
        metrics.connectionClosed(reason);
    }
}
