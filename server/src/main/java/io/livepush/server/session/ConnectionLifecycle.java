package io.livepush.server.session;

import io.livepush.server.channel.Backpressure;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.Subscription;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from admission to close: tracks writability for backpressure and stalled replays,
 * and on close takes the connection out of every channel it followed (its deadlines are
 * {@link ConnectionDeadlines}'). One INFO line per lifecycle event, never per message: a connected
 * client's close is one {@code disconnected} line with its reason (see {@link CloseReason}) and duration,
 * never a stack trace.
 */
@Sharable
public final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ChannelEngine registry;
    private final SessionRegistry sessions;
    private final PushMetrics metrics;

    public ConnectionLifecycle(ChannelEngine registry, SessionRegistry sessions, PushMetrics metrics) {
        this.registry = registry;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Session s = Session.of(ctx.channel());
        if (s != null) {
            metrics.connectionOpened(s.transport());
        }
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
            registry.replay().writable(ch);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void close(Session s) {
        CloseReason reason = CloseReason.of(s.channel());
        metrics.connectionClosed(s.transport(), reason);
        if (s.room() != null) {
            leave(s.room());
            s.room(null);
        }
        s.subscriptions().values().forEach(this::leave);
        s.subscriptions().clear();
        if (s.isConnected()) {
            sessions.remove(s.userId(), s.channel());
            log.info(
                    "disconnected session={} user={} transport={} reason={} duration_ms={} remote={}",
                    s.id(),
                    s.userId(),
                    s.transport().label(),
                    reason.label(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.openedNanos()),
                    s.channel().remoteAddress());
        }
    }

    private void leave(Subscription sub) {
        registry.detach(sub, () -> {});
    }
}
