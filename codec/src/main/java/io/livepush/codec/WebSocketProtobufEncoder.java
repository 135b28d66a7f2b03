package io.livepush.codec;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
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
        if (msg instanceof ByteBuf preEncoded) {
            out.add(new BinaryWebSocketFrame(Frames.retainedBody(preEncoded)));
        } else {
            out.add(new BinaryWebSocketFrame(Frames.encodeBody(ctx.alloc(), (MessageLite) msg)));
        }
    }
}
