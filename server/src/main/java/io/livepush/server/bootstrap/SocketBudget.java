package io.livepush.server.bootstrap;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open sockets of a group of ports, counted from the moment they are accepted: a bare connection that
 * never speaks (to the web or admin port, say) holds a file descriptor as surely as a client does.
 * Above the budget a socket is closed at once, before anything is allocated for it. The admin port
 * has a budget of its own, so a flood of client connections cannot lock the operator out and a flood
 * on the admin port cannot take the clients' descriptors. How long a socket may stay bare is bounded
 * elsewhere (the handshake deadline of client ports, the first-request deadline of the admin port).
 */
@Sharable
final class SocketBudget extends ChannelInboundHandlerAdapter {
    private final String name;
    private final int capacity;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final ChannelFutureListener release = closed -> open.decrementAndGet();

    SocketBudget(String name, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException(name + " socket budget: " + capacity + " (expected: > 0)");
        }
        this.name = name;
        this.capacity = capacity;
    }

    String name() {
        return name;
    }

    int capacity() {
        return capacity;
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.sum();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > capacity) {
            open.decrementAndGet();
            refused.increment();
            ctx.close();
            return;
        }
        ctx.channel().closeFuture().addListener(release);
        ctx.pipeline().remove(this);
        ctx.fireChannelActive();
    }
}
