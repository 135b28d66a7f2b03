package io.livepush.codec;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Subprotocol {@code push.v1.proto}: parses each binary WebSocket message into one protobuf message.
 * A text message, or bytes that do not parse, raise {@link MalformedFrameException}; after that all
 * further messages are dropped until the channel closes (the server answers and closes).
 *
 * <p>Expects whole messages (fragments joined by {@code WebSocketFrameAggregator} before it). One per
 * channel: it keeps the failed state.
 */
public final class WebSocketProtobufDecoder<T extends MessageLite> extends MessageToMessageDecoder<WebSocketFrame> {
    private final Parser<T> parser;
    private boolean failed;

    public WebSocketProtobufDecoder(Parser<T> parser) {
        super(WebSocketFrame.class);
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (failed) {
            return;
        }
        if (!(frame instanceof BinaryWebSocketFrame)) {
            failed = true;
            throw new MalformedFrameException(
                    "text message on subprotocol " + WebSocketSubprotocols.PROTO + " (expected: binary)");
        }
        try {
            out.add(parser.parseFrom(frame.content().nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            failed = true;
            throw new MalformedFrameException("message is not a valid protobuf message: " + e.getMessage(), e);
        }
    }
}
