package io.livepush.client;

import io.livepush.proto.v1.ErrorCode;

/** The server answered a request with {@code Error}, or the request could not be answered. */
public final class PushException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean fatal;

    public PushException(ErrorCode code, String message, boolean fatal) {
        super(code + ": " + message);
        this.code = code;
        this.fatal = fatal;
    }

    /** The server's error code ({@link ErrorCode#UNKNOWN} for local failures such as a lost connection). */
    public ErrorCode code() {
        return code;
    }

    /** Whether the server closed the connection after this error. */
    public boolean fatal() {
        return fatal;
    }
}
