package io.livepush.server.bootstrap;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Refuses connections above the limit cleanly — a GoAway with a jittered retry delay, then close —
 * instead of letting the process run out of file descriptors. Sits after the encoder (so its GoAway
 * is encoded) and before everything that keeps per-connection state (which never sees a refused one).
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(ConnectionLimitHandler.class));

    private final int maxConnections;
    private final PushMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener freeSlot = closed -> open.decrementAndGet();

    ConnectionLimitHandler(int maxConnections, PushMetrics metrics) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        this.maxConnections = maxConnections;
        this.metrics = metrics;
    }

    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.connectionRejected();
            refusals.info("connection refused at the limit", "remote={} limit={}", ctx.channel().remoteAddress(),
                    maxConnections);
            ctx.channel().config().setAutoRead(false);
            int retryMs = 1000 + ThreadLocalRandom.current().nextInt(4000);
            ctx.writeAndFlush(ServerFrame.newBuilder()
                    .setGoAway(GoAway.newBuilder().setReason("server at its connection limit").setReconnectAfterMs(retryMs))
                    .build()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // Admitted: the slot is freed when the connection closes, and this handler has nothing more to do.
        ctx.channel().closeFuture().addListener(freeSlot);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    /** Only a refused connection still has this handler: what it sends is dropped. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    /** A refused connection closes: the rest of the pipeline never saw it active. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
    }
}
