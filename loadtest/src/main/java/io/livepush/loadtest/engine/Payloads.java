package io.livepush.loadtest.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * The payload of a timed message: the sender's {@link System#nanoTime()} as 8 big-endian bytes, padded
 * with zeros to the payload size. nanoTime is only comparable within one process: the harness runs
 * publisher and subscribers in the same process.
 *
 * <p>A sequenced payload also carries the publisher's own sequence number, for targets whose messages
 * have no seq of their own (MQTT, Redis):
 * <pre>
 * +----------------+----------------+-------------+
 * | send nanoTime  | seq 1, 2, 3 …  | zeros       |
 * | 8 bytes, BE    | 8 bytes, BE    | to the size |
 * +----------------+----------------+-------------+
 * </pre>
 */
public final class Payloads {
    public static final int MIN_BYTES = Long.BYTES;
    public static final int SEQUENCED_BYTES = 2 * Long.BYTES;

    private Payloads() {}

    public static ByteString timed(long nanos, int size) {
        checkSize(size, MIN_BYTES);
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putLong(nanos);
        return UnsafeByteOperations.unsafeWrap(b);
    }

    public static ByteString sequenced(long nanos, long seq, int size) {
        checkSize(size, SEQUENCED_BYTES);
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putLong(nanos).putLong(seq);
        return UnsafeByteOperations.unsafeWrap(b);
    }

    /** The same bytes as {@link #sequenced(long, long, int)}, in a new buffer the caller owns. */
    public static ByteBuf sequenced(ByteBufAllocator alloc, long nanos, long seq, int size) {
        checkSize(size, SEQUENCED_BYTES);
        return alloc.buffer(size, size).writeLong(nanos).writeLong(seq).writeZero(size - SEQUENCED_BYTES);
    }

    public static long sentNanos(ByteString payload) {
        checkPayload(payload.size(), MIN_BYTES);
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (payload.byteAt(i) & 0xFF);
        }
        return v;
    }

    /** The send time at the start of the {@code length}-byte payload at {@code index} of {@code buf}. */
    public static long sentNanos(ByteBuf buf, int index, int length) {
        checkPayload(length, MIN_BYTES);
        return buf.getLong(index);
    }

    /** The publisher's sequence number in the {@code length}-byte sequenced payload at {@code index} of {@code buf}. */
    public static long seq(ByteBuf buf, int index, int length) {
        checkPayload(length, SEQUENCED_BYTES);
        return buf.getLong(index + Long.BYTES);
    }

    private static void checkPayload(int length, int min) {
        if (length < min) {
            throw new IllegalArgumentException("payload: " + length + " bytes (expected: >= " + min + ")");
        }
    }

    /** {@code size}, if a sequenced payload fits in it. */
    public static int requireSequenced(int size) {
        checkSize(size, SEQUENCED_BYTES);
        return size;
    }

    private static void checkSize(int size, int min) {
        if (size < min) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= " + min + ")");
        }
    }
}
