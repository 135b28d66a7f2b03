package io.livepush.server.admin;

/** A request the admin API refuses: carries the HTTP status and the error code for the JSON body. */
public final class AdminException extends RuntimeException {
    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
