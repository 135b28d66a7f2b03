package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request to the router and writes the answers back in request order, even when a
 * pipelined request's answer is ready before an earlier one's. One instance per connection.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final AdminRouter router;
    /** Completes once the previous answer is written; touched on the event loop only. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    AdminHttpHandler(AdminRouter router) {
        this.router = requireNonNull(router, "router");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        boolean decoded = request.decoderResult().isSuccess();
        // After a request we could not parse, the stream position is unknown: answer and close.
        boolean keepAlive = decoded && HttpUtil.isKeepAlive(request);
        CompletableFuture<HttpReply> reply = decoded
                ? router.route(request)
                : CompletableFuture.completedFuture(
                        JsonErrors.of(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "malformed HTTP request"));
        previous = previous.thenCompose(ignored -> reply)
                .thenAcceptAsync(r -> write(ctx, r, version, keepAlive), ctx.executor());
    }

    private static void write(ChannelHandlerContext ctx, HttpReply reply, HttpVersion version, boolean keepAlive) {
        FullHttpResponse response =
                new DefaultFullHttpResponse(version, reply.status(), Unpooled.wrappedBuffer(reply.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        reply.headers().forEach(response.headers()::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        } else {
            log.warn("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
