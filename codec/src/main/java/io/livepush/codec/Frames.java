package io.livepush.codec;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Encodes messages in the delimited wire form: varint32 length, then the message bytes. */
public final class Frames {

    private Frames() {
    }

    /**
     * Returns a new buffer holding {@code msg} as one frame, sized exactly. For fan-out: encode once,
     * then write a {@link ByteBuf#retainedDuplicate()} to each member and release this one.
     */
    public static ByteBuf encodeDelimited(ByteBufAllocator alloc, MessageLite msg) {
        requireNonNull(alloc, "alloc");
        requireNonNull(msg, "msg");
        int frameSize = delimitedSize(msg);
        ByteBuf buf = alloc.ioBuffer(frameSize, frameSize);
        try {
            writeDelimited(msg, buf);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** The bytes {@code msg} takes on the wire, length prefix included. */
    public static int delimitedSize(MessageLite msg) {
        int bodySize = msg.getSerializedSize();
        return CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
    }

    /**
     * Writes {@code msg} as one frame at the writer index of {@code out}, which must be a buffer this
     * package allocated: a single-component buffer, so {@code nioBuffer} is a view of its memory and
     * protobuf writes straight into it without an intermediate array.
     */
    static void writeDelimited(MessageLite msg, ByteBuf out) {
        int bodySize = msg.getSerializedSize(); // memoized by generated messages
        int frameSize = CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
        out.ensureWritable(frameSize);
        int writerIndex = out.writerIndex();
        CodedOutputStream output = CodedOutputStream.newInstance(out.nioBuffer(writerIndex, frameSize));
        try {
            output.writeUInt32NoTag(bodySize);
            msg.writeTo(output);
        } catch (IOException e) {
            // Only OutOfSpaceException can occur here, and only if the message misreports its size.
            throw new UncheckedIOException(e);
        }
        output.checkNoSpaceLeft();
        out.writerIndex(writerIndex + frameSize);
    }
}
