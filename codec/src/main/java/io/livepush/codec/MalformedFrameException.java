package io.livepush.codec;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame's length prefix or body is not valid protobuf. */
public final class MalformedFrameException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }

    public MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
