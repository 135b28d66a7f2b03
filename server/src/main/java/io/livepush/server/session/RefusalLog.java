package io.livepush.server.session;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Lines about what unauthenticated or broken clients do (refused connects, malformed or oversized
 * frames, refused upgrades): at most one line of a kind per interval, the next one saying how many
 * were left out. A client that costs nothing to run must not be able to flood the log; the
 * operator still sees that it happens, and the metrics count every one. Thread-safe.
 */
public final class RefusalLog {
    /** How often a kind of line may appear. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private final Logger log;
    private final long intervalMs;
    private final LongSupplier nowMs;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong nextMs = new AtomicLong(Long.MIN_VALUE);
        final LongAdder suppressed = new LongAdder();
    }

    public RefusalLog(Logger log) {
        this(log, DEFAULT_INTERVAL_MS, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
    }

    RefusalLog(Logger log, long intervalMs, LongSupplier nowMs) {
        this.log = requireNonNull(log, "log");
        this.intervalMs = intervalMs;
        this.nowMs = requireNonNull(nowMs, "nowMs");
    }

    /**
     * Logs {@code kind + " " + format} at INFO unless a line of {@code kind} went out within the
     * interval; {@code kind} is a constant (one window each).
     */
    public void info(String kind, String format, Object... args) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = nowMs.getAsLong();
        long next = w.nextMs.get();
        if (now < next || !w.nextMs.compareAndSet(next, now + intervalMs)) {
            w.suppressed.increment();
            return;
        }
        long left = w.suppressed.sumThenReset();
        String line = kind + " " + format + (left > 0 ? " (and " + left + " more like it since the last line)" : "");
        log.info(line, args);
    }
}
