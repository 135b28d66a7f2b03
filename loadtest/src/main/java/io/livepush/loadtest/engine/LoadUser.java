package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual user on one connection, whatever the protocol ({@link VirtualUser} for ours, MQTT and
 * Redis users for the peers): readiness, stopping on purpose, and unexpected closes and exceptions
 * counted as run errors. One instance per connection; all methods but {@link #ready()} and {@link #stop()} run on the
 * connection's event loop. Inbound messages are released after {@code channelRead0}.
 */
public abstract class LoadUser<I> extends SimpleChannelInboundHandler<I> {
    private static final Logger log = LoggerFactory.getLogger(LoadUser.class);

    protected final String user;
    protected final RunStats stats;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private Channel channel;
    private boolean up;
    private volatile boolean stopping;

    protected LoadUser(Class<I> inbound, String user, RunStats stats) {
        super(inbound);
        this.user = requireNonNull(user, "user");
        this.stats = requireNonNull(stats, "stats");
    }

    /** Completes when the user is set up (connected, subscribed), exceptionally if that failed. */
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

    /** The peer refused or answered nonsense: fail the setup and close (the close counts as an error). */
    protected final void refuse(ChannelHandlerContext ctx, String why) {
        log.debug("{}: {}", user, why);
        ready.completeExceptionally(new IllegalStateException(user + ": " + why));
        ctx.close();
    }

    /** The connection is up; e.g. send the protocol's connect or subscribe. */
    protected abstract void onActive(ChannelHandlerContext ctx);

    /** The connection is gone, on purpose or not. */
    protected void onInactive() {}

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
        onActive(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (up) {
            up = false;
            stats.connectionDown();
        }
        if (!stopping) {
            stats.error();
        }
        onInactive();
        ready.completeExceptionally(new IllegalStateException(user + ": connection closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!stopping) {
            stats.error();
            log.debug("{}: {}", user, cause.toString());
        }
        ready.completeExceptionally(cause);
        ctx.close();
    }
}
