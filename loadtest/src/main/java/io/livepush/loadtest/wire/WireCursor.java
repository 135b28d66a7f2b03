package io.livepush.loadtest.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.util.internal.PlatformDependent;

/**
 * Reads base-128 varints (least significant group first, top bit "more follows": protobuf, MQTT's remaining
 * length) and skips protobuf fields within {@code [pos, limit)} of a buffer, without moving its indexes and
 * without allocating. One per parser, pointed at each frame with {@link #at}.
 *
 * <p>A buffer with a memory address (what the native transports read into) is read at that address: the harness runs
 * on C1, which does not flatten {@link ByteBuf#getByte}'s checks, and these bytes are every delivery's. The cursor's
 * own {@code limit} bounds every read, and the buffer stays the caller's to keep alive.
 */
final class WireCursor {
    /** {@link #prefix} ran into the limit: the rest of the prefix has not arrived yet. */
    static final int INCOMPLETE = -1;

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int FIXED32 = 5;

    private ByteBuf buf;
    /** {@code buf}'s memory address, 0 if it has none. */
    private long address;

    private int pos;
    private int limit;

    WireCursor at(ByteBuf buf, int pos, int limit) {
        this.buf = buf;
        this.address = buf.hasMemoryAddress() ? buf.memoryAddress() : 0;
        this.pos = pos;
        this.limit = limit;
        return this;
    }

    int pos() {
        return pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    /** The tag of a protobuf field, {@code number << 3 | wireType}. */
    static int tag(int number, int wireType) {
        return number << 3 | wireType;
    }

    /**
     * A length prefix of at most {@code maxBytes} groups, or {@link #INCOMPLETE} (the cursor unmoved) if the limit
     * cuts it off.
     */
    int prefix(int maxBytes) {
        int value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos + i >= limit) {
                return INCOMPLETE;
            }
            byte b = byteAt(pos + i);
            value |= (b & 0x7F) << (7 * i);
            if (b >= 0) {
                if (value < 0) {
                    throw new CorruptedFrameException("length prefix above " + Integer.MAX_VALUE);
                }
                pos += i + 1;
                return value;
            }
        }
        throw new CorruptedFrameException("length prefix longer than " + maxBytes + " bytes");
    }

    /** A varint inside a complete message (a uint64 above {@link Long#MAX_VALUE} comes out negative). */
    long varint() {
        long value = 0;
        for (int shift = 0; shift < Long.SIZE; shift += 7) {
            byte b = next();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new CorruptedFrameException("varint longer than 10 bytes");
    }

    int tag() {
        long tag = varint();
        if (tag <= 0 || tag > Integer.MAX_VALUE) {
            throw new CorruptedFrameException("field tag: " + tag);
        }
        return (int) tag;
    }

    /** The length of a length-delimited field; the cursor is then at its first byte. */
    int length() {
        long length = varint();
        if (length < 0 || length > limit - pos) {
            throw new CorruptedFrameException("field length: " + length + " (expected: <= " + (limit - pos) + ")");
        }
        return (int) length;
    }

    void skip(int bytes) {
        if (bytes > limit - pos) {
            throw new CorruptedFrameException("field of " + bytes + " bytes runs past its message");
        }
        pos += bytes;
    }

    /** Skips the value of a field with this tag, by its wire type. */
    void skipField(int tag) {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> skip(Long.BYTES);
            case LEN -> skip(length());
            case FIXED32 -> skip(Integer.BYTES);
            default -> throw new CorruptedFrameException("wire type: " + (tag & 7) + " (expected: 0, 1, 2 or 5)");
        }
    }

    private byte next() {
        if (pos >= limit) {
            throw new CorruptedFrameException("varint runs past its message");
        }
        return byteAt(pos++);
    }

    /** The byte at {@code index} of the buffer; the caller keeps {@code index} below its limit. */
    byte byteAt(int index) {
        return address != 0 ? PlatformDependent.getByte(address + index) : buf.getByte(index);
    }
}
