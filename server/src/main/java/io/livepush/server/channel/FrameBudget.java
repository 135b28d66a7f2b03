package io.livepush.server.channel;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes all channels' {@link RecentFrames} may hold together: the cache never grows past it. */
final class FrameBudget {
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    FrameBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean tryTake(int bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > maxBytes) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void give(int bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
