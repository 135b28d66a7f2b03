package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Our TCP framing: a varint32 length, then that many bytes of one {@code ServerFrame} ({@link ServerFrames}).
 *
 * <pre>
 * +---------------+--------------------+
 * | length        | ServerFrame        |
 * | varint32, 1-5 | length bytes       |
 * +---------------+--------------------+
 * </pre>
 */
final class PushTcpFrames implements FrameParser {
    private static final int MAX_PREFIX_BYTES = 5;

    private final WireCursor cursor = new WireCursor();
    private final ServerFrames frames;

    PushTcpFrames(ServerFrames frames) {
        this.frames = requireNonNull(frames, "frames");
    }

    @Override
    public int parse(ChannelHandlerContext ctx, ByteBuf in, long nowNanos) {
        int length = cursor.at(in, in.readerIndex(), in.writerIndex()).prefix(MAX_PREFIX_BYTES);
        if (length == WireCursor.INCOMPLETE) {
            return 1;
        }
        int body = cursor.pos();
        int end = body + FrameParser.frameLength(length);
        if (end > in.writerIndex()) {
            return end - in.writerIndex();
        }
        frames.frame(ctx, in, body, end, nowNanos);
        in.readerIndex(end);
        return 0;
    }
}
