package io.livepush.server.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The number of entries in a capacity-bound store, kept beside its Chronicle Map (whose
 * {@code longSize()} walks every segment). Entries are only ever added, never removed.
 */
final class EntryCount {
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong count;
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    EntryCount(long initial) {
        this.count = new AtomicLong(initial);
    }

    long get() {
        return count.get();
    }

    /** Counts {@code n} more entries unless that would pass {@code capacity}; false: nothing counted. */
    boolean tryAdd(long n, long capacity) {
        while (true) {
            long current = count.get();
            if (current + n > capacity) {
                return n == 0;
            }
            if (count.compareAndSet(current, current + n)) {
                return true;
            }
        }
    }

    /** Takes back {@code n} entries counted by {@link #tryAdd} that were not stored after all. */
    void remove(long n) {
        count.addAndGet(-n);
    }

    /**
     * Whether Chronicle Map threw {@code e} because the file has no room: no segment tier left
     * ({@link IllegalStateException}), or an entry larger than one tier ("Entry is too large").
     */
    static boolean isNoRoom(RuntimeException e) {
        return e instanceof IllegalStateException
                || e instanceof IllegalArgumentException
                        && e.getMessage() != null
                        && e.getMessage().contains("too large");
    }

    /**
     * The exception for a refused write, logged at WARN at most once a minute per store: the client
     * only gets {@code LIMIT_EXCEEDED}, the operator learns here which flag to raise.
     */
    StoreFullException refuse(Logger log, String message, Throwable cause) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarned.compareAndSet(last, now)) {
            log.warn("{} (refusing such writes; logged at most once a minute)", message);
        }
        return cause == null ? new StoreFullException(message) : new StoreFullException(message, cause);
    }

    /** Resets the count from the map, after a write that failed part-way. */
    void set(long entries) {
        count.set(entries);
    }
}
