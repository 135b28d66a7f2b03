package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.OUTBOX;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WEB_PAGES;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_DECODER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_ENCODER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_ERROR_RELAY;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_FRAME_AGGREGATOR;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_PROTOCOL;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_UPGRADE_GUARD;

import io.livepush.codec.WebSocketProtobufDecoder;
import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.channel.Outbox;
import io.livepush.server.codec.WebSocketJsonDecoder;
import io.livepush.server.codec.WebSocketJsonEncoder;
import io.livepush.server.proxy.HandshakeHeaders;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the WebSocket handshake, then replaces itself with the codec of the negotiated
 * subprotocol and the session handlers, and fires {@code channelActive} to them: for the session the
 * connection starts at the upgrade, so page loads on the same port never count as connections. Before
 * the upgrade, an idle connection (a browser's kept-alive page load) is closed here.
 */
final class WebSocketCodecInstaller extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketCodecInstaller.class);
    private static final RefusalLog refusals = new RefusalLog(log);
    private static final WebSocketJsonEncoder JSON_ENCODER = new WebSocketJsonEncoder(ServerFrame.parser());

    private final int maxFrameBytes;
    private final PushChannelInitializer session;

    WebSocketCodecInstaller(int maxFrameBytes, PushChannelInitializer session) {
        this.maxFrameBytes = maxFrameBytes;
        this.session = session;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete handshake) {
            HandshakeHeaders.keep(ctx.channel(), handshake.requestHeaders()); // for the connect hook
            install(ctx, handshake.selectedSubprotocol());
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    private void install(ChannelHandlerContext ctx, String subprotocol) {
        ChannelPipeline p = ctx.pipeline();
        // The upgrade guard refuses requests without a supported subprotocol; this is the backstop.
        if (!WebSocketSubprotocols.ALL.contains(subprotocol)) {
            refusals.info(
                    "websocket refused",
                    "remote={} subprotocol={}",
                    ctx.channel().remoteAddress(),
                    subprotocol);
            ctx.writeAndFlush(new CloseWebSocketFrame(
                            WebSocketCloseStatus.PROTOCOL_ERROR,
                            "subprotocol required: " + String.join(" or ", WebSocketSubprotocols.ALL)))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        p.remove(WS_UPGRADE_GUARD);
        p.remove(WEB_PAGES);
        p.addBefore(WS_PROTOCOL, WS_ERROR_RELAY, WebSocketErrorRelay.INSTANCE);
        // Joins fragmented messages; the protocol handler already capped each fragment.
        p.addAfter(ctx.name(), WS_FRAME_AGGREGATOR, new WebSocketFrameAggregator(maxFrameBytes));
        if (WebSocketSubprotocols.JSON.equals(subprotocol)) {
            p.addAfter(WS_FRAME_AGGREGATOR, WS_DECODER, new WebSocketJsonDecoder<>(ClientFrame.getDefaultInstance()));
            p.addAfter(WS_DECODER, WS_ENCODER, JSON_ENCODER);
            p.addAfter(WS_ENCODER, OUTBOX, new Outbox(Outbox.Framing.ENCODED_BELOW));
        } else {
            p.addAfter(WS_FRAME_AGGREGATOR, WS_DECODER, new WebSocketProtobufDecoder<>(ClientFrame.parser()));
            // The encoder too; fan-out's batches carry their own WebSocket headers.
            p.addAfter(WS_DECODER, OUTBOX, new Outbox(Outbox.Framing.WEBSOCKET_BINARY));
        }
        session.addSessionHandlers(p);
        p.remove(this);
        // The session handlers were not there when the TCP connection became active.
        p.context(OUTBOX).fireChannelActive();
    }
}
