package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_PROTOCOL;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

/**
 * Sits just before Netty's WebSocket protocol handler, which closes the connection at once on a
 * decoder error (a frame above the cap): that close could beat our {@code Error} frame. Such errors
 * go straight to the handlers after it instead, so the exception handler answers
 * {@code FRAME_TOO_LARGE} and closes once the answer is written, as on TCP.
 */
@Sharable
final class WebSocketErrorRelay extends ChannelInboundHandlerAdapter {
    static final WebSocketErrorRelay INSTANCE = new WebSocketErrorRelay();

    private WebSocketErrorRelay() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelHandlerContext protocol = ctx.pipeline().context(WS_PROTOCOL);
        if (cause instanceof CorruptedWebSocketFrameException && protocol != null) {
            protocol.fireExceptionCaught(cause);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
