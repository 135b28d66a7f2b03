package io.livepush.loadtest.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Hands a subscriber's inbound bytes to its {@link FrameParser} where they lie. Nothing is copied but a frame
 * that a read cuts off: it waits in a small tail buffer, which the next read completes (only the bytes that
 * frame still needs, and at least {@link #MIN_TAIL_COPY}), before the parser goes on in the read itself. Every
 * frame of one read gets one receive time, taken when the read arrives. A frame the parser refuses ends the
 * stream: the exception goes down the pipeline, and whatever follows is dropped, since no frame boundary is
 * left to trust. Installed by {@link RawFraming#takeOver}.
 */
final class RawStream extends ChannelInboundHandlerAdapter {
    /** So that a header cut by a read is not completed one byte per parse. */
    private static final int MIN_TAIL_COPY = 64;

    private final FrameParser parser;
    private ByteBuf tail;
    private boolean failed;

    RawStream(FrameParser parser) {
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long now = System.nanoTime();
        try {
            if (failed || (tail != null && tail.isReadable() && !completeTail(ctx, in, now))) {
                return;
            }
            while (in.isReadable()) {
                if (parser.parse(ctx, in, now) > 0) {
                    tail(ctx).writeBytes(in);
                    return;
                }
            }
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            in.release();
        }
    }

    /** Parses the tail, fed from {@code in} as it needs; false if {@code in} ran out before the tail did. */
    private boolean completeTail(ChannelHandlerContext ctx, ByteBuf in, long now) {
        while (tail.isReadable()) {
            int missing = parser.parse(ctx, tail, now);
            if (missing > 0) {
                if (!in.isReadable()) {
                    tail.discardReadBytes();
                    return false;
                }
                tail.writeBytes(in, Math.min(in.readableBytes(), Math.max(missing, MIN_TAIL_COPY)));
            }
        }
        tail.clear();
        return true;
    }

    private ByteBuf tail(ChannelHandlerContext ctx) {
        if (tail == null) {
            tail = ctx.alloc().buffer();
        }
        return tail;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (tail != null) {
            tail.release();
            tail = null;
        }
    }
}
