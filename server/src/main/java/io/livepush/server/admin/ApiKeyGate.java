package io.livepush.server.admin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses an {@code /api/} request without the key from its headers, before the aggregator waits for
 * (and buffers) its body: a client that has no key gets its 401 at once and costs no memory, and one
 * that hangs up mid-body leaves nothing half-read behind. It then closes: the rest of the body may
 * still be on the wire. One instance per connection.
 */
final class ApiKeyGate extends ChannelInboundHandlerAdapter {
    private final ApiKey key;
    private final byte[] unauthorized = JsonErrors.of(
                    HttpResponseStatus.UNAUTHORIZED, "UNAUTHORIZED", "missing or wrong API key")
            .body();
    private boolean refused;

    ApiKeyGate(ApiKey key) {
        this.key = requireNonNull(key, "key");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused && msg instanceof HttpContent) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request
                && ApiKey.requiredFor(request.uri())
                && !key.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            ReferenceCountUtil.release(msg);
            refused = true;
            FullHttpResponse response = new DefaultFullHttpResponse(
                    request.protocolVersion(), HttpResponseStatus.UNAUTHORIZED, Unpooled.wrappedBuffer(unauthorized));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, unauthorized.length)
                    .set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
