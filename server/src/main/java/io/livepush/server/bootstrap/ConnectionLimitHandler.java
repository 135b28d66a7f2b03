package io.livepush.server.bootstrap;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.PushMetrics;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses connections above the limit cleanly — a GoAway with a jittered retry delay, then close —
 * instead of letting the process run out of file descriptors. Sits after the encoder (so its GoAway
 * is encoded) and before everything that keeps per-connection state (which never sees a refused one).
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("push.admitted");

    private final int maxConnections;
    private final PushMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

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
            ctx.channel().config().setAutoRead(false);
            int retryMs = 1000 + ThreadLocalRandom.current().nextInt(4000);
            ctx.writeAndFlush(ServerFrame.newBuilder()
                    .setGoAway(GoAway.newBuilder().setReason("server at its connection limit").setReconnectAfterMs(retryMs))
                    .build()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().attr(ADMITTED).set(Boolean.TRUE);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (admitted(ctx)) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted(ctx)) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    private static boolean admitted(ChannelHandlerContext ctx) {
        return ctx.channel().attr(ADMITTED).get() != null;
    }
}
