package io.livepush.server.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an admin connection whose first request has not begun within the deadline: a connection
 * that says nothing holds a descriptor of the admin port's small budget. Once a request starts, the
 * idle timeout of kept-alive connections takes over.
 */
final class FirstRequestDeadline extends ChannelInboundHandlerAdapter {
    private final long deadlineMs;
    private ScheduledFuture<?> timeout;

    FirstRequestDeadline(long deadlineMs) {
        this.deadlineMs = deadlineMs;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule((Runnable) ctx::close, deadlineMs, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            cancel();
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
