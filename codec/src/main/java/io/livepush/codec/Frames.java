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

    private Frames() {}

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

    /**
     * Returns a new buffer holding just the bytes of {@code msg}, without a length prefix: the body of
     * a WebSocket binary message, where the WebSocket frame carries the length.
     */
    public static ByteBuf encodeBody(ByteBufAllocator alloc, MessageLite msg) {
        requireNonNull(alloc, "alloc");
        requireNonNull(msg, "msg");
        int size = msg.getSerializedSize();
        ByteBuf buf = alloc.ioBuffer(size, size);
        try {
            CodedOutputStream output = CodedOutputStream.newInstance(buf.nioBuffer(0, size));
            msg.writeTo(output);
            output.checkNoSpaceLeft();
            buf.writerIndex(size);
            return buf;
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /**
     * Reads the varint32 length prefix of a frame made by {@link #encodeDelimited} and returns a
     * retained slice of its body, leaving {@code frame}'s reader index untouched. For transports that
     * carry the length themselves (WebSocket): the pre-encoded fan-out buffer is reused, not re-encoded.
     *
     * @throws IllegalArgumentException if {@code frame} does not hold exactly one complete frame
     */
    public static ByteBuf retainedBody(ByteBuf frame) {
        int body = bodyIndex(frame);
        return frame.retainedSlice(body, frame.writerIndex() - body);
    }

    /**
     * The index in {@code frame}, a frame made by {@link #encodeDelimited}, where its body starts (after
     * the length prefix); the body runs to the writer index.
     *
     * @throws IllegalArgumentException if {@code frame} does not hold exactly one complete frame
     */
    public static int bodyIndex(ByteBuf frame) {
        int index = frame.readerIndex();
        int end = frame.writerIndex();
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (index >= end || shift > 28) {
                throw new IllegalArgumentException("not a delimited frame: bad length prefix");
            }
            byte b = frame.getByte(index++);
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (length < 0 || end - index != length) {
            throw new IllegalArgumentException(
                    "not a delimited frame: prefix says " + length + " bytes, " + (end - index) + " follow");
        }
        return index;
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
