package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual user on our protocol: sends {@code Connect} as soon as the connection is up, then hands
 * every frame to the subclass. Error answers and go-aways count as run errors. Pings every
 * {@code Connected.heartbeat_ms}, as the server asks, so a quiet connection is not closed as idle.
 * One instance per connection; all methods run on the connection's event loop.
 */
public abstract class VirtualUser extends LoadUser<ServerFrame> {
    private static final Logger log = LoggerFactory.getLogger(VirtualUser.class);

    private final String token;
    private int nextId = 1;
    private ScheduledFuture<?> heartbeat;

    protected VirtualUser(String user, String token, RunStats stats) {
        super(ServerFrame.class, user, stats);
        this.token = requireNonNull(token, "token");
    }

    protected final int nextId() {
        return nextId++;
    }

    /** The connection is answered {@code Connected}; e.g. join a room. */
    protected abstract void onConnected(ChannelHandlerContext ctx);

    /** Any frame after {@code Connected} other than an error or go-away. */
    protected abstract void onFrame(ChannelHandlerContext ctx, ServerFrame frame);

    /** An {@code error} answer (already counted); e.g. to count a request as answered. */
    protected void onError(ServerFrame frame) {}

    @Override
    protected void onActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(ClientFrame.newBuilder()
                .setId(nextId())
                .setConnect(Connect.newBuilder()
                        .setToken(token)
                        .setProtocolVersion(1)
                        .setClient("push-loadtest/1"))
                .build());
    }

    @Override
    protected void onInactive() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case CONNECTED -> {
                startHeartbeat(ctx, frame.getConnected().getHeartbeatMs());
                onConnected(ctx);
            }
            case PONG -> {}
            case ERROR -> {
                stats.error();
                log.debug(
                        "{}: error {} {}",
                        user,
                        frame.getError().getCode(),
                        frame.getError().getMessage());
                fail(new IllegalStateException(
                        frame.getError().getCode() + ": " + frame.getError().getMessage()));
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
            heartbeat = ctx.executor()
                    .scheduleAtFixedRate(
                            () -> ctx.writeAndFlush(
                                    ClientFrame.newBuilder()
                                            .setId(nextId())
                                            .setPing(Ping.newBuilder().setNonce(System.nanoTime()))
                                            .build(),
                                    ctx.voidPromise()),
                            heartbeatMs,
                            heartbeatMs,
                            TimeUnit.MILLISECONDS);
        }
    }
}
