package io.livepush.server.session;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.metrics.CloseReason;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of every connection — handshake (Connect in time), heartbeat (something read in
 * time) and token expiry — checked by one periodic sweep per event loop rather than by timers per
 * connection: an idle connection costs one list slot, not three scheduled tasks and an idle handler.
 * A deadline fires within one tick after it passes.
 *
 * <p>The sweeps' lists hold every client connection, so they are also how the server reaches them all
 * ({@link #forEachOpen}: shutdown, a cluster node's Redis outage) without a channel group, whose map entry
 * and close listener each connection would pay for.
 */
public final class ConnectionDeadlines {
    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(log);

    static final long MIN_TICK_MS = 10;
    static final long MAX_TICK_MS = 1000;

    private final Clock clock;
    private final long handshakeNanos;
    private final long idleNanos;
    private final long expiryLeewayMs;
    private final long tickNanos;
    private final Replies replies;
    private final ConcurrentHashMap<EventLoop, LoopSweep> sweeps = new ConcurrentHashMap<>();

    /**
     * @param handshakeTimeoutMs from open to an accepted {@code Connect}
     * @param idleTimeoutMs      the longest a connected client may stay silent
     * @param expiryLeewayMs     clock-skew leeway after a token's expiry
     */
    public ConnectionDeadlines(
            Clock clock, long handshakeTimeoutMs, long idleTimeoutMs, long expiryLeewayMs, Replies replies) {
        this.clock = requireNonNull(clock, "clock");
        this.replies = requireNonNull(replies, "replies");
        this.handshakeNanos = TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMs);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.expiryLeewayMs = expiryLeewayMs;
        long tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.min(handshakeTimeoutMs, idleTimeoutMs) / 4));
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMs);
    }

    /** Starts watching a new connection; called on its event loop. It is dropped once closed. */
    public void watch(Session s) {
        sweeps.computeIfAbsent(s.channel().eventLoop(), this::startSweep)
                .sessions
                .add(s);
    }

    /**
     * Runs {@code action} on every open client connection, each on its own event loop; completes with how many
     * once every loop has been through its connections. A loop that no longer runs tasks is skipped: it is
     * closing its connections itself.
     */
    public CompletableFuture<Integer> forEachOpen(Consumer<Channel> action) {
        List<CompletableFuture<Integer>> loops = new ArrayList<>();
        sweeps.forEach((loop, sweep) -> {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            loops.add(done);
            try {
                loop.execute(() -> {
                    try {
                        done.complete(sweep.forEachOpen(action));
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                done.complete(0);
            }
        });
        return CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                .thenApply(
                        all -> loops.stream().mapToInt(CompletableFuture::join).sum());
    }

    private LoopSweep startSweep(EventLoop loop) {
        LoopSweep sweep = new LoopSweep();
        loop.scheduleAtFixedRate(sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        return sweep;
    }

    private void check(Session s, long nowNanos, long nowMs) {
        if (!s.isConnected()) {
            if (nowNanos - s.openedNanos() > handshakeNanos) {
                refusals.info("handshake timeout", "remote={}", s.channel().remoteAddress());
                CloseReason.HANDSHAKE_TIMEOUT.markOn(s.channel());
                s.channel().close();
            }
        } else if (nowNanos - s.lastReadNanos() > idleNanos) {
            // The disconnected line says so (reason idle).
            CloseReason.IDLE.markOn(s.channel());
            s.channel().close();
        } else if (nowMs > s.claims().expiresAtMs() + expiryLeewayMs) {
            // Closes like every fatal error: after the answer, reading and dropping what still comes.
            replies.fatal(s.channel(), 0, ErrorCode.TOKEN_EXPIRED, "token expired without a refresh");
        }
    }

    /** One event loop's connections; confined to that loop. */
    private final class LoopSweep implements Runnable {
        final List<Session> sessions = new ArrayList<>();

        @Override
        public void run() {
            long nowNanos = System.nanoTime();
            long nowMs = clock.millis();
            int kept = 0;
            for (int i = 0; i < sessions.size(); i++) {
                Session s = sessions.get(i);
                if (s.channel().isOpen()) {
                    if (!LingeringClose.isClosing(s.channel())) { // answered already: no second answer
                        check(s, nowNanos, nowMs);
                    }
                    sessions.set(kept++, s);
                }
            }
            sessions.subList(kept, sessions.size()).clear();
        }

        int forEachOpen(Consumer<Channel> action) {
            int n = 0;
            for (Session s : sessions) {
                Channel ch = s.channel();
                if (ch.isOpen()) {
                    action.accept(ch);
                    n++;
                }
            }
            return n;
        }
    }
}
