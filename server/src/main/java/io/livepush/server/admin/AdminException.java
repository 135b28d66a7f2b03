package io.livepush.server.admin;

/** A request the admin API refuses: carries the HTTP status and the error code for the JSON body. */
public final class AdminException extends RuntimeException {
    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    public AdminException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** {@code retryAfterSeconds} > 0 answers with a {@code Retry-After} header. */
    public AdminException(int status, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
