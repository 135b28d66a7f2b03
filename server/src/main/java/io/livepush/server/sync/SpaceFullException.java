package io.livepush.server.sync;

/** A change would add items past a space's bound; nothing of it was stored. The message says which bound. */
public final class SpaceFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpaceFullException(String message) {
        super(message);
    }
}
