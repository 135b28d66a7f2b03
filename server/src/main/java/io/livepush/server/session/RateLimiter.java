package io.livepush.server.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate of events per second with a burst of one second's worth, as the generic cell rate
 * algorithm: one {@code long} (the time the next event is due) updated with a CAS, so one limiter
 * may be shared by a user's connections on several event loops without a lock.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final long burstNanos;
    private final AtomicLong dueNanos;

    /** @param perSecond events allowed per second on average, and in a burst from rest */
    public RateLimiter(int perSecond, long nowNanos) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: > 0)");
        }
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.burstNanos = TimeUnit.SECONDS.toNanos(1) - intervalNanos;
        this.dueNanos = new AtomicLong(nowNanos);
    }

    /** Takes one event: 0 when allowed now, else how many nanoseconds until one would be. */
    public long tryAcquire(long nowNanos) {
        while (true) {
            long due = dueNanos.get();
            long wait = due - burstNanos - nowNanos;
            if (wait > 0) {
                return wait;
            }
            if (dueNanos.compareAndSet(due, Math.max(due, nowNanos) + intervalNanos)) {
                return 0;
            }
        }
    }

    /** Whether the limiter is back at rest (a full burst available): it can be dropped and made anew. */
    public boolean isIdle(long nowNanos) {
        return dueNanos.get() - nowNanos <= 0;
    }
}
