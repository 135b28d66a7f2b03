package io.livepush.server.store;

/** The store's fixed-capacity files have no room left; nothing was stored. */
public final class StoreFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }

    StoreFullException(String message) {
        super(message);
    }
}
