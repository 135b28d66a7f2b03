package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual user on one connection: sends {@code Connect} as soon as the connection is up, then hands
 * every frame to the subclass. Errors, go-aways and unexpected closes count as run errors. Pings every
 * {@code Connected.heartbeat_ms}, as the server asks, so a quiet connection is not closed as idle.
 * One instance per connection; all methods run on the connection's event loop.
 */
public abstract class VirtualUser extends SimpleChannelInboundHandler<ServerFrame> {
    private static final Logger log = LoggerFactory.getLogger(VirtualUser.class);

    protected final String user;
    protected final RunStats stats;
    private final String token;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Channel channel;
    private int nextId = 1;
    private boolean up;
    private ScheduledFuture<?> heartbeat;
    private volatile boolean stopping;

    protected VirtualUser(String user, String token, RunStats stats) {
        this.user = requireNonNull(user, "user");
        this.token = requireNonNull(token, "token");
        this.stats = requireNonNull(stats, "stats");
    }

    /** Completes when the user is set up (connected, joined …), exceptionally if that failed. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    protected final void markReady() {
        ready.complete(null);
    }

    protected final void fail(Throwable cause) {
        ready.completeExceptionally(cause);
    }

    protected final Channel channel() {
        return channel;
    }

    protected final int nextId() {
        return nextId++;
    }

    /** The connection is answered {@code Connected}; e.g. join a room. */
    protected abstract void onConnected(ChannelHandlerContext ctx);

    /** Any frame after {@code Connected} other than an error or go-away. */
    protected abstract void onFrame(ChannelHandlerContext ctx, ServerFrame frame);

    /** An {@code error} answer (already counted); e.g. to count a request as answered. */
    protected void onError(ServerFrame frame) {
    }

    /** Closes the connection on purpose: not counted as an error. */
    public void stop() {
        stopping = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        up = true;
        stats.connectionUp();
        ctx.writeAndFlush(ClientFrame.newBuilder()
                .setId(nextId())
                .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1).setClient("push-loadtest/1"))
                .build());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case CONNECTED -> {
                startHeartbeat(ctx, frame.getConnected().getHeartbeatMs());
                onConnected(ctx);
            }
            case PONG -> {
            }
            case ERROR -> {
                stats.error();
                log.debug("{}: error {} {}", user, frame.getError().getCode(), frame.getError().getMessage());
                fail(new IllegalStateException(frame.getError().getCode() + ": " + frame.getError().getMessage()));
                onError(frame);
            }
            case GO_AWAY -> {
                stats.error();
                log.debug("{}: go-away {}", user, frame.getGoAway().getReason());
            }
            default -> onFrame(ctx, frame);
        }
    }

    private void startHeartbeat(ChannelHandlerContext ctx, int heartbeatMs) {
        if (heartbeatMs > 0 && heartbeat == null) {
            heartbeat = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(ClientFrame.newBuilder()
                    .setId(nextId())
                    .setPing(Ping.newBuilder().setNonce(System.nanoTime()))
                    .build(), ctx.voidPromise()), heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (up) {
            up = false;
            stats.connectionDown();
        }
        if (!stopping) {
            stats.error();
        }
        fail(new IllegalStateException(user + ": connection closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!stopping) {
            stats.error();
            log.debug("{}: {}", user, cause.toString());
        }
        fail(cause);
        ctx.close();
    }
}
