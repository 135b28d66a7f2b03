package io.livepush.codec;

import io.netty.handler.codec.TooLongFrameException;

/** A frame's length prefix is above the limit; raised before any of its body is buffered. */
public final class FrameTooLargeException extends TooLongFrameException {

    private static final long serialVersionUID = 1L;

    private final int length;
    private final int maxFrameBytes;

    public FrameTooLargeException(int length, int maxFrameBytes) {
        super("frame length " + length + " exceeds maxFrameBytes " + maxFrameBytes);
        this.length = length;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The length the peer announced. */
    public int length() {
        return length;
    }

    /** The limit it exceeded. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }
}
