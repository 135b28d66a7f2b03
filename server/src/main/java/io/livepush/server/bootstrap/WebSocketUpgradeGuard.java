package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.server.session.RefusalLog;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a WebSocket upgrade before it happens: a disallowed {@code Origin} gets 403, a request
 * without a supported subprotocol gets 400 with the subprotocols it should ask for. Netty's handshake
 * would otherwise complete without a subprotocol, leaving the client to guess why nothing works.
 */
@Sharable
final class WebSocketUpgradeGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgradeGuard.class);
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(log);

    private final String path;
    private final OriginPolicy origins;

    WebSocketUpgradeGuard(String path, OriginPolicy origins) {
        this.path = requireNonNull(path, "path");
        this.origins = requireNonNull(origins, "origins");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && path.equals(new QueryStringDecoder(request.uri()).path())) {
            String refusal = refusal(request);
            if (refusal != null) {
                ReferenceCountUtil.release(msg);
                refusals.info(
                        "websocket upgrade refused",
                        "remote={}: {}",
                        ctx.channel().remoteAddress(),
                        refusal);
                HttpResponses.text(
                        ctx,
                        refusal.startsWith("origin") ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.BAD_REQUEST,
                        refusal);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private String refusal(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            return "origin not allowed: " + origin;
        }
        String requested = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        boolean supported = requested != null
                && Arrays.stream(requested.split(",")).map(String::trim).anyMatch(WebSocketSubprotocols.ALL::contains);
        if (!supported) {
            return "unsupported WebSocket subprotocol " + (requested == null ? "(none)" : "'" + requested + "'")
                    + ": ask for " + String.join(" or ", WebSocketSubprotocols.ALL);
        }
        return null;
    }
}
