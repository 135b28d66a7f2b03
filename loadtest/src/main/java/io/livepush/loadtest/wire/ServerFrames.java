package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireCursor.LEN;
import static io.livepush.loadtest.wire.WireCursor.tag;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The body of one {@code ServerFrame}, walked by field number where it lies. A {@code message} is read in place
 * ({@link RawMessage}) and handed on; any other frame ({@code connected}, {@code joined}, {@code pong},
 * {@code error} …: a few per connection) is parsed and passed down the pipeline.
 *
 * <pre>
 * ServerFrame
 * +------------+-----------------------------+
 * | 1 reply_to | 10 message                  |
 * | (absent)   | length, bytes: RawMessage   |
 * +------------+-----------------------------+
 * </pre>
 */
final class ServerFrames {
    private static final int MESSAGE = tag(10, LEN);

    private final WireCursor cursor = new WireCursor();
    private final RawMessage message = new RawMessage();
    private final RawMessages messages;

    ServerFrames(RawMessages messages) {
        this.messages = requireNonNull(messages, "messages");
    }

    /** The frame in {@code [from, to)} of {@code in}. */
    void frame(ChannelHandlerContext ctx, ByteBuf in, int from, int to, long nowNanos) {
        cursor.at(in, from, to);
        while (cursor.hasRemaining()) {
            int tag = cursor.tag();
            if (tag == MESSAGE) {
                int length = cursor.length();
                messages.accept(message.read(in, cursor.pos(), cursor.pos() + length), nowNanos);
                return;
            }
            cursor.skipField(tag);
        }
        ctx.fireChannelRead(parse(in, from, to));
    }

    private static ServerFrame parse(ByteBuf in, int from, int to) {
        try {
            return ServerFrame.parseFrom(in.nioBuffer(from, to - from));
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptedFrameException("not a ServerFrame: " + e.getMessage(), e);
        }
    }
}
