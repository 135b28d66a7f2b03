package io.livepush.loadtest.dsl;

import java.util.concurrent.CompletableFuture;

/**
 * A one-time signal from the run's driver to waiting users ({@link Actions#await(Gate)}): when it
 * opens, every waiter goes on, each on its own event loop. Remembers when it opened, the common
 * start of what the users then measure (e.g. a reconnect storm).
 */
public final class Gate {
    private final CompletableFuture<Long> opened = new CompletableFuture<>();

    /** Opens the gate (once; later calls do nothing) and returns its opening time ({@link System#nanoTime()}). */
    public long open() {
        opened.complete(System.nanoTime());
        return opened.join();
    }

    public boolean isOpen() {
        return opened.isDone();
    }

    /** When it opened ({@link System#nanoTime()}); only after it opened. */
    public long openedAtNanos() {
        return opened.getNow(null);
    }

    void whenOpen(Session session, Runnable next) {
        // Dispatched, not run here: the opener's thread is not the user's loop.
        opened.thenRun(() -> session.loop().execute(next));
    }
}
