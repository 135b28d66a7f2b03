package io.livepush.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code minMs} up to {@code maxMs}, with "equal jitter" (a random
 * value in the upper half of the step) so a crowd of clients dropped at once does not return at once.
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private int attempts;

    Backoff(long minMs, long maxMs) {
        if (minMs <= 0 || maxMs < minMs) {
            throw new IllegalArgumentException("backoff: " + minMs + ".." + maxMs + " ms (expected: 0 < min <= max)");
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    /** The delay before the next attempt; each call doubles the step until {@code maxMs}. */
    long nextDelayMs() {
        long step = Math.min(maxMs, minMs << Math.min(attempts, 30));
        if (step < 0) {
            step = maxMs;
        }
        attempts++;
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /** A session was established: start from {@code minMs} again. */
    void reset() {
        attempts = 0;
    }
}
