package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.HTTP_AGGREGATOR;
import static io.livepush.server.bootstrap.ChannelHandlerNames.HTTP_CODEC;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WEB_PAGES;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_CODEC_INSTALLER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_PROTOCOL;
import static io.livepush.server.bootstrap.ChannelHandlerNames.WS_UPGRADE_GUARD;

import io.livepush.codec.WebSocketSubprotocols;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * WebSocket on the web port: plain HTTP until the upgrade, then one frame per WebSocket message.
 * <pre>
 *  HTTP codec → aggregator (small cap) → upgrade guard (Origin, subprotocol) → web pages (share page,
 *  static assets, 404) → WebSocket protocol (GET /ws, ping/pong, close, size cap) → codec installer
 * </pre>
 * After the handshake the installer puts the codec of the negotiated subprotocol in its place, then
 * the session handlers, and announces the connection to them as newly active.
 */
final class WebSocketFraming implements PushChannelInitializer.Framing {
    static final String PATH = "/ws";
    /** Requests on this port are a GET for a page or the upgrade: no bodies worth more. */
    private static final int MAX_HTTP_REQUEST_BYTES = 8192;

    private final int maxFrameBytes;
    private final long handshakeTimeoutMs;
    private final WebSocketUpgradeGuard guard;
    private final WebPagesHandler pages;

    WebSocketFraming(int maxFrameBytes, long handshakeTimeoutMs, OriginPolicy origins, WebPagesHandler pages) {
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.guard = new WebSocketUpgradeGuard(PATH, origins);
        this.pages = pages;
    }

    @Override
    public void addFraming(ChannelPipeline p, PushChannelInitializer session) {
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES));
        p.addLast(WS_UPGRADE_GUARD, guard);
        p.addLast(WEB_PAGES, pages);
        p.addLast(
                WS_PROTOCOL,
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(PATH)
                        .checkStartsWith(true) // "/ws?…" too; other paths never get here (the pages answer 404)
                        .subprotocols(String.join(",", WebSocketSubprotocols.ALL))
                        .handshakeTimeoutMillis(handshakeTimeoutMs)
                        .decoderConfig(WebSocketDecoderConfig.newBuilder()
                                .maxFramePayloadLength(maxFrameBytes)
                                .allowExtensions(false)
                                // We answer a violation ourselves (Error{FRAME_TOO_LARGE}, then close), not the
                                // decoder.
                                .closeOnProtocolViolation(false)
                                .build())
                        .build()));
        p.addLast(WS_CODEC_INSTALLER, new WebSocketCodecInstaller(maxFrameBytes, session));
    }
}
