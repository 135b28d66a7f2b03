package io.livepush.loadtest.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/**
 * The payload of a timed message: the sender's {@link System#nanoTime()} as 8 big-endian bytes, padded
 * with zeros to the payload size. nanoTime is only comparable within one process: the harness runs
 * publisher and subscribers in the same process.
 */
public final class Payloads {
    public static final int MIN_BYTES = Long.BYTES;

    private Payloads() {
    }

    public static ByteString timed(long nanos, int size) {
        if (size < MIN_BYTES) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= " + MIN_BYTES + ")");
        }
        byte[] b = new byte[size];
        for (int i = 0; i < Long.BYTES; i++) {
            b[i] = (byte) (nanos >>> (56 - 8 * i));
        }
        return UnsafeByteOperations.unsafeWrap(b);
    }

    public static long sentNanos(ByteString payload) {
        if (payload.size() < MIN_BYTES) {
            throw new IllegalArgumentException("payload: " + payload.size() + " bytes (expected: >= " + MIN_BYTES + ")");
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (payload.byteAt(i) & 0xFF);
        }
        return v;
    }
}
