package io.livepush.loadtest.targets;

import io.livepush.codec.WebSocketProtobufDecoder;
import io.livepush.codec.WebSocketProtobufEncoder;
import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.proto.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The client side of our WebSocket endpoint: {@code GET /ws}, subprotocol {@code push.v1.proto}, one
 * {@code ClientFrame} / {@code ServerFrame} per binary message with no length prefix. Pipeline:
 * <pre>
 * HttpClientCodec → HttpObjectAggregator → WebSocketClientProtocolHandler (handshake, ping, close)
 *   → WebSocketFrameAggregator → WebSocketProtobufDecoder / WebSocketProtobufEncoder → HandshakeGate → user
 * </pre>
 */
final class PushWebSocket {
    static final String PATH = "/ws";
    private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private PushWebSocket() {}

    /** @param tls whether the connection is TLS (the engine put it first): {@code wss://} */
    static void install(ChannelPipeline p, InetSocketAddress address, boolean tls) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri(address, tls))
                .subprotocol(WebSocketSubprotocols.PROTO)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(LoadEngine.MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
                .build();
        p.addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                .addLast(new WebSocketClientProtocolHandler(config))
                .addLast(new WebSocketFrameAggregator(LoadEngine.MAX_FRAME_BYTES))
                .addLast(new WebSocketProtobufDecoder<>(ServerFrame.parser()))
                .addLast(WebSocketProtobufEncoder.INSTANCE)
                .addLast(new HandshakeGate());
    }

    static URI uri(InetSocketAddress address, boolean tls) {
        try {
            // The multi-argument constructor brackets an IPv6 literal.
            return new URI(
                    tls ? "wss" : "ws",
                    null,
                    address.getAddress().getHostAddress(),
                    address.getPort(),
                    PATH,
                    null,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("address: " + address, e);
        }
    }

    /**
     * Holds {@code channelActive} back from the user until the handshake completed: its first frame
     * ({@code Connect}) must travel as a WebSocket message, not into the HTTP upgrade. A failed or
     * timed-out handshake closes the connection, which the user counts as an error.
     */
    static final class HandshakeGate extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // swallowed: fired on HANDSHAKE_COMPLETE instead
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.fireChannelActive();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
