package io.livepush.server.session;

import io.livepush.proto.v1.ErrorCode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket Close frame that follows a fatal {@code Error} (RFC 6455 7.4): a browser sees the
 * close code and reason instead of 1006 (closed without a Close frame). Only for WebSocket
 * connections; a TCP client has its {@code Error}.
 */
final class WebSocketCloses {
    /** A Close frame's reason fits in 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    private WebSocketCloses() {}

    /** The Close frame for a fatal {@code code}, or null when {@code ch} is not a WebSocket. */
    static CloseWebSocketFrame after(Channel ch, ErrorCode code, String message) {
        if (ch.pipeline().get(WebSocketServerProtocolHandler.class) == null) {
            return null;
        }
        return new CloseWebSocketFrame(status(code), reason(code.name() + ": " + message));
    }

    static WebSocketCloseStatus status(ErrorCode code) {
        return switch (code) {
            case FRAME_TOO_LARGE -> WebSocketCloseStatus.MESSAGE_TOO_BIG;
            case MALFORMED_FRAME -> WebSocketCloseStatus.INVALID_PAYLOAD_DATA;
            case UNAUTHENTICATED, TOKEN_EXPIRED, FORBIDDEN -> WebSocketCloseStatus.POLICY_VIOLATION;
            case NOT_CONNECTED, ALREADY_CONNECTED, UNSUPPORTED_VERSION, BAD_REQUEST ->
                WebSocketCloseStatus.PROTOCOL_ERROR;
            case RATE_LIMITED, LIMIT_EXCEEDED, UNAVAILABLE -> WebSocketCloseStatus.TRY_AGAIN_LATER;
            case SHUTTING_DOWN -> WebSocketCloseStatus.ENDPOINT_UNAVAILABLE;
            default -> WebSocketCloseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** {@code text} cut to what a Close frame holds, on a character boundary. */
    static String reason(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return text;
        }
        int end = Math.min(text.length(), MAX_REASON_BYTES);
        while (text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }
}
