package io.livepush.server.bootstrap;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.Limit;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.session.RateLimiter;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Refuses connections above the limits cleanly — a GoAway with a retry delay, then close — instead
 * of letting the process run out of file descriptors or one address take them all: the total
 * ({@code --max-connections}), per IP address, and new connections per second per IP address. Sits
 * after the framing (so its GoAway is encoded) and before everything that keeps per-connection state
 * (which never sees a refused one).
 */
@Sharable
final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(ConnectionLimitHandler.class));

    private final int maxConnections;
    private final int maxPerIp;
    private final int connectRatePerIp;
    private final PushMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per address; an address leaves the map with its last connection. */
    private final ConcurrentHashMap<InetAddress, Integer> openByIp = new ConcurrentHashMap<>();
    /** Connect rates per address; an address leaves at the next {@link #forgetIdleRates} once back at rest. */
    private final ConcurrentHashMap<InetAddress, RateLimiter> ratesByIp = new ConcurrentHashMap<>();
    /** Frees a closed connection's slots: one listener for all (a lambda each would cost its capture each). */
    private final ChannelFutureListener release = this::released;

    /** {@code maxPerIp} and {@code connectRatePerIp}: 0 = no limit. */
    ConnectionLimitHandler(int maxConnections, int maxPerIp, int connectRatePerIp, PushMetrics metrics) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        this.maxConnections = maxConnections;
        this.maxPerIp = maxPerIp;
        this.connectRatePerIp = connectRatePerIp;
        this.metrics = metrics;
    }

    int open() {
        return open.get();
    }

    /** Drops the rate state of addresses that have not connected for a second; called every few seconds. */
    void forgetIdleRates() {
        long now = System.nanoTime();
        ratesByIp.values().removeIf(r -> r.isIdle(now));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress ip = addressOf(ctx.channel());
        if (ip != null && connectRatePerIp > 0) {
            long now = System.nanoTime();
            long waitNanos = ratesByIp
                    .computeIfAbsent(ip, k -> new RateLimiter(connectRatePerIp, now))
                    .tryAcquire(now);
            if (waitNanos > 0) {
                refuse(
                        ctx,
                        Limit.CONNECT_RATE_PER_IP,
                        "too many new connections from your address",
                        (int) TimeUnit.NANOSECONDS.toMillis(waitNanos) + jitterMs(1000));
                return;
            }
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            metrics.connectionRejected();
            refuse(ctx, null, "server at its connection limit", 1000 + jitterMs(4000));
            return;
        }
        if (ip != null && maxPerIp > 0 && openByIp.merge(ip, 1, Integer::sum) > maxPerIp) {
            releaseIp(ip);
            open.decrementAndGet();
            refuse(ctx, Limit.CONNECTIONS_PER_IP, "too many connections from your address", 1000 + jitterMs(4000));
            return;
        }
        // Admitted: the slots are freed when the connection closes, and this handler has nothing more to do.
        ctx.channel().closeFuture().addListener(release);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }

    private void released(ChannelFuture closed) {
        open.decrementAndGet();
        InetAddress ip = addressOf(closed.channel());
        if (ip != null && maxPerIp > 0) {
            releaseIp(ip);
        }
    }

    private static InetAddress addressOf(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private void releaseIp(InetAddress ip) {
        openByIp.computeIfPresent(ip, (k, n) -> n == 1 ? null : n - 1);
    }

    private void refuse(ChannelHandlerContext ctx, Limit limit, String reason, int retryMs) {
        Channel ch = ctx.channel();
        if (limit != null) {
            metrics.limitRefused(limit);
        }
        if (limit == null) {
            refusals.info("connection refused at the limit", "remote={} limit={}", ch.remoteAddress(), maxConnections);
        } else {
            refusals.info("connection refused by " + limit.label(), "remote={}", ch.remoteAddress());
        }
        ch.config().setAutoRead(false);
        ctx.writeAndFlush(ServerFrame.newBuilder()
                        .setGoAway(GoAway.newBuilder().setReason(reason).setReconnectAfterMs(retryMs))
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Spreads the retries of a burst of refused clients. */
    private static int jitterMs(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    /** Only a refused connection still has this handler: what it sends is dropped. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    /** A refused connection closes: the rest of the pipeline never saw it active. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {}
}
