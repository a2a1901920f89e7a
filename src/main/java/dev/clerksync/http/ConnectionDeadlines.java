package dev.clerksync.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * One webhook connection's deadlines, first in its Netty pipeline (before TLS and HTTP): it sees the
 * connection open, every read and the close; the router tells it when a request starts and ends
 * ({@link WebhookConnections}). A timer, not Netty's {@code IdleStateHandler} or
 * {@code ReadTimeoutHandler}: those restart on every read, so a client sending a byte a second
 * would never be cut. The timer runs on the connection's event loop, as does every method here.
 *
 * <ul>
 *   <li>head: from the connection's opening (TLS handshake included), or from the first byte
 *       after an idle spell, until a request's head reaches the router: header timeout;</li>
 *   <li>request: a request is in (its body's deadline is {@link RequestDeadline}'s): none;</li>
 *   <li>idle: every request answered, nothing read since: idle timeout.</li>
 * </ul>
 */
final class ConnectionDeadlines extends ChannelInboundHandlerAdapter {

    static final AttributeKey<ConnectionDeadlines> KEY = AttributeKey.valueOf(ConnectionDeadlines.class, "deadlines");

    static final String HEADER_TIMEOUT = "header_timeout";
    static final String IDLE_TIMEOUT = "idle_timeout";
    static final String ADDRESS_LIMIT = "address_limit";

    private enum Phase { HEAD, REQUEST, IDLE }

    private final WebhookConnections connections;
    private final long headerTimeoutMillis;
    private final long idleTimeoutMillis;

    private ChannelHandlerContext context;
    private InetAddress client;
    private Phase phase = Phase.HEAD;
    /** Requests started and not yet ended: more than one with pipelining or HTTP/2. */
    private int inFlight;
    private ScheduledFuture<?> deadline;

    ConnectionDeadlines(WebhookConnections connections, long headerTimeoutMillis, long idleTimeoutMillis) {
        this.connections = connections;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!connections.admit(peer)) {
            // Closed before anything is read or a TLS handshake starts; not passed on, so Vert.x
            // never makes a connection of it.
            connections.closed(ADDRESS_LIMIT);
            ctx.close();
            return;
        }
        context = ctx;
        client = peer;
        ctx.channel().attr(KEY).set(this);
        arm(headerTimeoutMillis, HEADER_TIMEOUT);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (phase == Phase.IDLE) {
            phase = Phase.HEAD;
            arm(headerTimeoutMillis, HEADER_TIMEOUT);
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (context == null) {
            // refused: Vert.x never saw it open
            return;
        }
        disarm();
        connections.release(client);
        ctx.fireChannelInactive();
    }

    /** A request's head has been decoded: the head deadline is met. */
    void requestStarted() {
        onEventLoop(() -> {
            inFlight++;
            phase = Phase.REQUEST;
            disarm();
        });
    }

    /** A request has been answered (or abandoned); the last one makes the connection idle. */
    void requestEnded() {
        onEventLoop(() -> {
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight == 0 && phase == Phase.REQUEST && context.channel().isActive()) {
                phase = Phase.IDLE;
                arm(idleTimeoutMillis, IDLE_TIMEOUT);
            }
        });
    }

    private void arm(long millis, String reason) {
        disarm();
        if (millis > 0) {
            deadline = context.executor().schedule(() -> expire(reason), millis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(String reason) {
        deadline = null;
        if (context.channel().isActive()) {
            connections.closed(reason);
            context.close();
        }
    }

    private void onEventLoop(Runnable step) {
        if (context.executor().inEventLoop()) {
            step.run();
        } else {
            context.executor().execute(step);
        }
    }
}
