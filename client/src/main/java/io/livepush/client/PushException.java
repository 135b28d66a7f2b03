package io.livepush.client;

import io.livepush.proto.v1.ErrorCode;

/** The server answered a request with {@code Error}, or the request could not be answered. */
public final class PushException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean fatal;
    private final long retryAfterMs;

    public PushException(ErrorCode code, String message, boolean fatal) {
        this(code, message, fatal, 0);
    }

    public PushException(ErrorCode code, String message, boolean fatal, long retryAfterMs) {
        super(code + ": " + message);
        this.code = code;
        this.fatal = fatal;
        this.retryAfterMs = retryAfterMs;
    }

    /** With {@link ErrorCode#RATE_LIMITED}: how long the server asked to wait before trying again; else 0. */
    public long retryAfterMs() {
        return retryAfterMs;
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
