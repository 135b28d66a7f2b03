package io.livepush.client;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.Refresh;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The timers of a session: the heartbeat (a ping every {@code heartbeat_ms}, and closing a connection
 * that stayed silent for two of them) and the refresh of the connection token before it expires.
 * Touched on the client's loop only.
 */
final class Keepalive {
    private final EventLoop loop;
    private final Supplier<String> tokens;
    private final PushListener listener;
    private final Requests requests;
    private final Supplier<Channel> channel;
    private final BooleanSupplier sessionUp;
    private long lastReadNanos;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> refreshTimer;

    Keepalive(
            EventLoop loop,
            Supplier<String> tokens,
            PushListener listener,
            Requests requests,
            Supplier<Channel> channel,
            BooleanSupplier sessionUp) {
        this.loop = loop;
        this.tokens = tokens;
        this.listener = listener;
        this.requests = requests;
        this.channel = channel;
        this.sessionUp = sessionUp;
    }

    /** Something arrived from the server: the connection is alive. */
    void touch() {
        lastReadNanos = System.nanoTime();
    }

    /** A session is up on {@code ch}: pings every {@code heartbeatMs} (0 = none), refreshes {@code token}. */
    void start(Channel ch, int heartbeatMs, String token) {
        if (heartbeatMs > 0) {
            heartbeat = loop.scheduleAtFixedRate(
                    () -> {
                        if (System.nanoTime() - lastReadNanos > TimeUnit.MILLISECONDS.toNanos(2L * heartbeatMs)) {
                            listener.onError(new TimeoutException(
                                    "no traffic from the server within " + 2 * heartbeatMs + " ms"));
                            ch.close();
                        } else {
                            ch.writeAndFlush(ClientFrame.newBuilder()
                                    .setId(requests.nextId())
                                    .setPing(Ping.newBuilder().setNonce(System.nanoTime()))
                                    .build());
                        }
                    },
                    heartbeatMs,
                    heartbeatMs,
                    TimeUnit.MILLISECONDS);
        }
        scheduleRefresh(Jwt.expiryMs(token));
    }

    /** The session is over: no more pings or refreshes on it. */
    void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (refreshTimer != null) {
            refreshTimer.cancel(false);
            refreshTimer = null;
        }
    }

    private void scheduleRefresh(long expiresMs) {
        if (expiresMs <= 0) {
            return;
        }
        // Renew ahead of expiry: a third of the lifetime early, at most 30 s.
        long ttl = expiresMs - System.currentTimeMillis();
        long delay = Math.max(0, ttl - Math.min(30_000, ttl / 3));
        refreshTimer = loop.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        Channel ch = channel.get();
        // The token supplier may block: off the loop, then back on it.
        CompletableFuture.supplyAsync(tokens, ForkJoinPool.commonPool())
                .whenCompleteAsync(
                        (token, err) -> {
                            if (channel.get() != ch || !sessionUp.getAsBoolean()) {
                                return;
                            }
                            if (err != null) {
                                listener.onError(err);
                                return;
                            }
                            Pending p = new Pending(
                                    () -> ClientFrame.newBuilder()
                                            .setRefresh(Refresh.newBuilder().setToken(token)),
                                    "refresh",
                                    false);
                            requests.submit(p);
                            p.future.whenComplete((f, e) -> {
                                if (e != null) {
                                    listener.onError(e);
                                } else if (channel.get() == ch && f.hasRefreshed()) {
                                    long exp = f.getRefreshed().getExpiresMs();
                                    scheduleRefresh(exp > 0 ? exp : Jwt.expiryMs(token));
                                }
                            });
                        },
                        loop);
    }
}
