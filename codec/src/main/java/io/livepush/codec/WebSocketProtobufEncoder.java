package io.livepush.codec;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;

/**
 * Subprotocol {@code push.v1.proto}: writes each outbound protobuf message as one binary WebSocket
 * message. A pre-encoded buffer from {@link Frames#encodeDelimited} (fan-out) is not re-encoded: its
 * varint32 length prefix is skipped and a retained slice of the body becomes the message.
 *
 * <pre>
 * pre-encoded ByteBuf              BinaryWebSocketFrame
 * +--------+---------------+       +---------------+
 * | Length | ServerFrame   |------>| ServerFrame   |  (same memory, no copy)
 * +--------+---------------+       +---------------+
 * </pre>
 *
 * Other messages (WebSocket control frames, HTTP responses) pass through untouched.
 */
@Sharable
public final class WebSocketProtobufEncoder extends MessageToMessageEncoder<Object> {
    public static final WebSocketProtobufEncoder INSTANCE = new WebSocketProtobufEncoder();

    private WebSocketProtobufEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof MessageLite || msg instanceof ByteBuf;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        out.add(binaryFrame(ctx.alloc(), msg));
    }

    /**
     * The binary message for {@code msg}, a {@link MessageLite} or a pre-encoded buffer (which keeps its
     * own reference: the message holds another one to the same memory).
     */
    public static BinaryWebSocketFrame binaryFrame(ByteBufAllocator alloc, Object msg) {
        if (msg instanceof ByteBuf preEncoded) {
            return new BinaryWebSocketFrame(Frames.retainedBody(preEncoded));
        }
        return new BinaryWebSocketFrame(Frames.encodeBody(alloc, (MessageLite) msg));
    }
}
