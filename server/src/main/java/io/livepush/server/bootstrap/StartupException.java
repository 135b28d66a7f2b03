package io.livepush.server.bootstrap;

/**
 * A reason the server cannot start that the operator fixes (a port in use, a data directory that
 * cannot be used): its message is the one line {@code Main} prints, naming the flag to change.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message, null, false, false);
    }
}
