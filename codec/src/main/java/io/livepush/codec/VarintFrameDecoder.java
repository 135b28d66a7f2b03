package io.livepush.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the inbound stream into frames, each a protobuf varint32 length followed by that many
 * bytes, and emits every body as a retained slice (an empty buffer for length 0).
 *
 * <pre>
 * BEFORE DECODE (302 bytes)            AFTER DECODE (300 bytes)
 * +----------+---------------+         +---------------+
 * |  Length  | Protobuf Data |-------->| Protobuf Data |
 * | 0xAC 0x02|  (300 bytes)  |         |  (300 bytes)  |
 * +----------+---------------+         +---------------+
 *
 * Length: 1 to 5 bytes, base 128, least significant group first; the top bit of each byte says
 * "more follows". 300 = 0b10_0101100 -> 0xAC (0x2C | 0x80), 0x02.
 * </pre>
 *
 * <p>Unlike Netty's {@code ProtobufVarint32FrameDecoder}, the length is bounded: a length above
 * {@code maxFrameBytes} raises {@link FrameTooLargeException} as soon as the prefix is read, without
 * waiting for the body, and a prefix longer than 5 bytes or above {@link Integer#MAX_VALUE} raises
 * {@link MalformedFrameException}, as does a body that {@link #frame} refuses. After any of these the stream
 * has no trustworthy frame boundary left, so all further input is discarded until the channel closes, and
 * nothing more is decoded when it does.
 */
public class VarintFrameDecoder extends ByteToMessageDecoder {

    private static final int INCOMPLETE = -1;

    private final int maxFrameBytes;
    private boolean failed;

    public VarintFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int frameStart = in.readerIndex();
        int length = readLength(in);
        if (length == INCOMPLETE) {
            in.readerIndex(frameStart);
            return;
        }
        // Checked before waiting for the body, so an oversized frame is never buffered.
        if (length > maxFrameBytes) {
            throw fail(in, new FrameTooLargeException(length, maxFrameBytes));
        }
        if (in.readableBytes() < length) {
            in.readerIndex(frameStart);
            return;
        }
        Object frame;
        try {
            frame = frame(in, length);
        } catch (MalformedFrameException e) {
            // Like a bad prefix: what follows in the cumulation must not be decoded now, later or at close.
            throw fail(in, e);
        }
        out.add(frame);
    }

    /**
     * Consumes one complete body of {@code length} bytes from {@code in}; by default a retained slice of it.
     * A {@link MalformedFrameException} from a subclass ends the stream like a bad prefix.
     */
    protected Object frame(ByteBuf in, int length) {
        return in.readRetainedSlice(length);
    }

    /** Reads the varint32 prefix; returns {@link #INCOMPLETE} if it has not fully arrived. */
    private int readLength(ByteBuf in) {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (!in.isReadable()) {
                return INCOMPLETE;
            }
            int b = in.readByte();
            // The 5th byte holds bits 28-34: only bits 28-30 fit a non-negative int, and it must end
            // the varint (b is sign-extended, so the mask also catches the continuation bit).
            if (shift == 28 && (b & 0xF8) != 0) {
                throw fail(
                        in,
                        new MalformedFrameException(
                                "length prefix is longer than 5 bytes or above " + Integer.MAX_VALUE));
            }
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                return length;
            }
        }
    }

    private <E extends RuntimeException> E fail(ByteBuf in, E cause) {
        failed = true;
        // Drop what is already here too, so the cumulation is released rather than held until close.
        in.skipBytes(in.readableBytes());
        return cause;
    }
}
