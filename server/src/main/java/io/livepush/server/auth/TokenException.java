package io.livepush.server.auth;

import io.livepush.proto.v1.ErrorCode;

/** A token that cannot be accepted, with the protocol error code that says why. */
public final class TokenException extends Exception {
    private final ErrorCode code;

    public TokenException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
