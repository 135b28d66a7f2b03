package io.livepush.loadtest.dsl;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts users that reached a point of their script ({@link Actions#arrive(Checkpoint)}); the driver waits on it. */
public final class Checkpoint {
    private final AtomicInteger arrived = new AtomicInteger();

    void arrive() {
        arrived.incrementAndGet();
    }

    public int arrived() {
        return arrived.get();
    }
}
