package io.livepush.loadtest.wire;

import io.livepush.loadtest.engine.LoadEngine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;

/**
 * One protocol's frames, read where they lie in the inbound bytes: each message is handed on as it lies
 * ({@link Deliveries}, {@link RawMessages}), with no object per message. One instance per connection, on its event
 * loop.
 */
public interface FrameParser {

    /**
     * Handles the frame at {@code in}'s reader index if it is all there, moves the reader index past it and returns
     * 0; else leaves {@code in} as it is and returns how many more bytes it needs at least (&gt; 0). Bytes that are
     * no frame of the protocol throw a {@code DecoderException}.
     *
     * @param ctx      the {@link RawStream}'s context, for the rare frames passed on decoded
     * @param nowNanos when the read that holds the frame arrived
     */
    int parse(ChannelHandlerContext ctx, ByteBuf in, long nowNanos);

    /** {@code length}, if a frame that long may be buffered: the harness's {@link LoadEngine#MAX_FRAME_BYTES}. */
    static int frameLength(long length) {
        if (length < 0 || length > LoadEngine.MAX_FRAME_BYTES) {
            throw new TooLongFrameException(
                    "frame length: " + length + " (expected: 0 to " + LoadEngine.MAX_FRAME_BYTES + ")");
        }
        return (int) length;
    }
}
