package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Our WebSocket endpoint's frames (RFC 6455 5.2), subprotocol {@code push.v1.proto}: the server writes each
 * {@code ServerFrame} as one unfragmented, unmasked binary frame ({@link ServerFrames}) and never pings; a
 * close, ping or pong frame is skipped (the server closes the connection after a close), anything else fails.
 *
 * <pre>
 * +-----+------+--------+------+-------------+----------------------+------------------+
 * | FIN | RSV  | opcode | MASK | length 0-125 | 126: + 16-bit length | payload          |
 * | 1   | 000  | 4 bits | 0    | 7 bits       | 127: + 64-bit length | one ServerFrame  |
 * +-----+------+--------+------+-------------+----------------------+------------------+
 * </pre>
 */
final class WebSocketFrames implements FrameParser {
    private static final int FIN = 0x80;
    private static final int MASK = 0x80;
    private static final int OPCODE = 0x0F;
    private static final int BINARY = 0x2;
    private static final int FIRST_CONTROL_OPCODE = 0x8;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    private final ServerFrames frames;

    WebSocketFrames(ServerFrames frames) {
        this.frames = requireNonNull(frames, "frames");
    }

    @Override
    public int parse(ChannelHandlerContext ctx, ByteBuf in, long nowNanos) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 2) {
            return 2 - readable;
        }
        int first = in.getUnsignedByte(start);
        int second = in.getUnsignedByte(start + 1);
        if ((second & MASK) != 0) {
            throw new CorruptedFrameException("masked frame from the server");
        }
        int length7 = second & 0x7F;
        int header = length7 == LENGTH_16 ? 4 : length7 == LENGTH_64 ? 10 : 2;
        if (readable < header) {
            return header - readable;
        }
        long length = switch (length7) {
            case LENGTH_16 -> in.getUnsignedShort(start + 2);
            case LENGTH_64 -> in.getLong(start + 2);
            default -> length7;
        };
        int end = start + header + FrameParser.frameLength(length);
        if (end > in.writerIndex()) {
            return end - in.writerIndex();
        }
        int opcode = first & OPCODE;
        if (opcode == BINARY && (first & FIN) != 0) {
            frames.frame(ctx, in, start + header, end, nowNanos);
        } else if (opcode < FIRST_CONTROL_OPCODE) {
            throw new CorruptedFrameException("opcode " + opcode + ", fin " + ((first & FIN) != 0)
                    + " (expected: one unfragmented binary frame per ServerFrame)");
        }
        in.readerIndex(end);
        return 0;
    }
}
