package dev.clerksync.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.impl.transports.JDKTransport;
import io.vertx.core.net.NetServerOptions;

/**
 * Vert.x's default transport (the JDK's NIO, which Camel's servers use unless told otherwise), with
 * one addition: every server it binds hands each accepted connection to {@link WebhookConnections},
 * which gives the webhook port's ones their {@link ConnectionDeadlines}.
 */
final class GuardedTransport extends JDKTransport {

    private final WebhookConnections connections;

    GuardedTransport(WebhookConnections connections) {
        this.connections = connections;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        super.configure(options, domainSocket, bootstrap);
        // The listening channel's own handler sees each accepted channel before Netty registers it
        // and Vert.x sets up its pipeline: what is added first here comes first in that pipeline.
        bootstrap.handler(new Acceptor());
    }

    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof Channel accepted && connections.guards(accepted)) {
                accepted.pipeline().addFirst("clerk-sync-deadlines", connections.deadlines());
            }
            ctx.fireChannelRead(message);
        }
    }
}
