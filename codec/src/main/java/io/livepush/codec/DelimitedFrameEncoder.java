package io.livepush.codec;

import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes each outbound protobuf message as one frame (varint32 length, then the message bytes) into
 * a buffer of exactly that size. Only {@link MessageLite} is matched: buffers already encoded with
 * {@link Frames#encodeDelimited} (fan-out) pass through untouched.
 */
@Sharable
public final class DelimitedFrameEncoder extends MessageToByteEncoder<MessageLite> {

    public static final DelimitedFrameEncoder INSTANCE = new DelimitedFrameEncoder();

    private DelimitedFrameEncoder() {
        super(MessageLite.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MessageLite msg, boolean preferDirect) {
        int frameSize = Frames.delimitedSize(msg);
        return preferDirect
                ? ctx.alloc().ioBuffer(frameSize, frameSize)
                : ctx.alloc().heapBuffer(frameSize, frameSize);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MessageLite msg, ByteBuf out) {
        Frames.writeDelimited(msg, out);
    }
}
