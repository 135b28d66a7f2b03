package io.livepush.server.handler;

import io.livepush.codec.FrameTooLargeException;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.session.RefusalLog;
import io.livepush.server.session.Replies;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an exception that reaches the end of a client pipeline gets. Bad input gets its protocol error and
 * the connection is closed; a peer that went away is closed quietly; anything else is a bug: logged,
 * answered with INTERNAL, closed — never a stack trace on the wire, never the server down.
 */
final class ConnectionErrors {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);
    /** Per server: each has its own windows. */
    private final RefusalLog refusals = new RefusalLog(log);

    private final Replies replies;

    ConnectionErrors(Replies replies) {
        this.replies = replies;
    }

    void caught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof FrameTooLargeException tooLarge) {
            refusals.info(
                    "frame too large", "remote={} length={}", ctx.channel().remoteAddress(), tooLarge.length());
            replies.fatal(
                    ctx.channel(),
                    0,
                    ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + tooLarge.length() + " bytes (max " + tooLarge.maxFrameBytes() + ")");
        } else if (isWebSocketTooLarge(root)) {
            refusals.info(
                    "websocket message too large",
                    "remote={}: {}",
                    ctx.channel().remoteAddress(),
                    root.getMessage());
            replies.fatal(
                    ctx.channel(), 0, ErrorCode.FRAME_TOO_LARGE, "WebSocket message too large: " + root.getMessage());
        } else if (cause instanceof DecoderException) {
            refusals.info("malformed frame", "remote={}: {}", ctx.channel().remoteAddress(), root.getMessage());
            replies.fatal(ctx.channel(), 0, ErrorCode.MALFORMED_FRAME, "frame does not parse");
        } else if (cause instanceof IOException || cause instanceof ClosedChannelException) {
            ctx.close();
        } else {
            log.warn("unexpected error remote={}", ctx.channel().remoteAddress(), cause);
            replies.fatal(ctx.channel(), 0, ErrorCode.INTERNAL, "internal error");
        }
    }

    /** Netty's WebSocket decoder (frame above the cap) and frame aggregator (message above the cap). */
    private static boolean isWebSocketTooLarge(Throwable e) {
        return e instanceof CorruptedWebSocketFrameException ws
                ? WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(ws.closeStatus())
                : e instanceof TooLongFrameException;
    }
}
