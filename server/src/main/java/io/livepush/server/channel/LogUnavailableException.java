package io.livepush.server.channel;

/**
 * The shared log of a cluster could not take or answer a request now (Redis unreachable, too slow, or short of
 * replicas): nothing is wrong with the request, and the same one may succeed shortly.
 */
public class LogUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public LogUnavailableException(String message) {
        super(message);
    }
}
