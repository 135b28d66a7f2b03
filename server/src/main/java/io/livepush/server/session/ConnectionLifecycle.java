package io.livepush.server.session;

import io.livepush.server.channel.Backpressure;
import io.livepush.server.channel.ChannelRegistry;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from open to close: creates its session, enforces the handshake timeout and the
 * heartbeat, tracks writability for backpressure and stalled replays, and on close takes the
 * connection out of every channel it followed. One INFO line per lifecycle event, never per message.
 */
@Sharable
public final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ChannelRegistry registry;
    private final SessionRegistry sessions;
    private final Replayer replayer;
    private final PushMetrics metrics;
    private final long handshakeTimeoutMs;

    public ConnectionLifecycle(ChannelRegistry registry, SessionRegistry sessions, Replayer replayer,
                               PushMetrics metrics, long handshakeTimeoutMs) {
        this.registry = registry;
        this.sessions = sessions;
        this.replayer = replayer;
        this.metrics = metrics;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Session s = Session.create(ctx.channel());
        metrics.connectionOpened();
        ctx.executor().schedule(() -> {
            if (!s.isConnected() && ctx.channel().isActive()) {
                log.info("handshake timeout remote={}", ctx.channel().remoteAddress());
                ctx.close();
            }
        }, handshakeTimeoutMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session s = Session.of(ctx.channel());
        if (s != null) {
            close(s);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        Backpressure.of(ch).writabilityChanged(ch.isWritable(), System.nanoTime());
        if (ch.isWritable()) {
            replayer.writable(Session.of(ch));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.info("idle close session={} remote={}", Session.of(ctx.channel()).id(), ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    private void close(Session s) {
        metrics.connectionClosed();
        s.expiryTimer(null);
        if (s.room() != null) {
            leave(s.room());
            s.room(null);
        }
        s.subscriptions().values().forEach(this::leave);
        s.subscriptions().clear();
        s.stalledReplays().clear();
        if (s.isConnected()) {
            sessions.remove(s.userId(), s.channel());
            log.info("disconnected session={} user={} remote={}", s.id(), s.userId(), s.channel().remoteAddress());
        }
    }

    private void leave(Subscription sub) {
        sub.deactivate();
        registry.detach(sub, () -> { });
    }
}
