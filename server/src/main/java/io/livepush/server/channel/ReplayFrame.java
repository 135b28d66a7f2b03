package io.livepush.server.channel;

import io.livepush.codec.Frames;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** One replayed message, encoded for the wire; whoever holds it writes or releases {@code frame}. */
public record ReplayFrame(long seq, ByteBuf frame) {

    /** {@code m} encoded as a {@code message} frame. */
    static ReplayFrame of(ByteBufAllocator alloc, Message m) {
        return new ReplayFrame(
                m.getSeq(),
                Frames.encodeDelimited(
                        alloc, ServerFrame.newBuilder().setMessage(m).build()));
    }
}
