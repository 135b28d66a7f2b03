package io.livepush.server.bootstrap;

import io.livepush.server.channel.ChannelNames;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web pages of the web port, served from {@code web/} on the class path: {@code GET /share/{room}}
 * (the live share page; the room and the token are read by its script from the URL) and its assets
 * under {@code /static/}. The WebSocket path goes on to the upgrade; anything else is 404. The pages
 * load nothing from elsewhere, which the Content-Security-Policy enforces.
 */
@Sharable
final class WebPagesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String SHARE_PREFIX = "/share/";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String webSocketPath;
    private final byte[] sharePage = resource("share.html");
    private final byte[] shareScript = resource("share.js");
    private final byte[] shareStyle = resource("share.css");

    WebPagesHandler(String webSocketPath) {
        super(FullHttpRequest.class, false);
        this.webSocketPath = webSocketPath;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(webSocketPath)) {
            ctx.fireChannelRead(request); // to the upgrade, which releases it
            return;
        }
        try {
            if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                HttpResponses.text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET here");
            } else if (path.startsWith(SHARE_PREFIX) && ChannelNames.isValid(path.substring(SHARE_PREFIX.length()))) {
                HttpResponses.content(ctx, request, sharePage, "text/html; charset=utf-8", CSP);
            } else if (path.equals("/static/share.js")) {
                HttpResponses.content(ctx, request, shareScript, "text/javascript; charset=utf-8", null);
            } else if (path.equals("/static/share.css")) {
                HttpResponses.content(ctx, request, shareStyle, "text/css; charset=utf-8", null);
            } else {
                HttpResponses.text(ctx, HttpResponseStatus.NOT_FOUND, "not found");
            }
        } finally {
            request.release();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebPagesHandler.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
