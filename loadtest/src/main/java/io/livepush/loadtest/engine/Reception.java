package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.ContinuityChecker;
import io.livepush.loadtest.stats.RunStats;
import java.util.List;

/**
 * What one subscriber received, whatever the target: the latency of each delivery (from the send
 * timestamp in its payload, {@link Payloads}) and seq continuity from the position it subscribed at.
 * Written on the subscriber's event loop; {@link #lastSeq()}, {@link #progress()} and {@link #live()}
 * are readable from any thread (the closed-loop publisher reads the slowest subscriber).
 */
public final class Reception {
    private final RunStats stats;
    private ContinuityChecker checker;
    private volatile long baseSeq;
    private volatile long lastSeq;
    private volatile boolean live;

    public Reception(RunStats stats) {
        this.stats = requireNonNull(stats, "stats");
    }

    /** The subscription is in place; {@code baseSeq} is the last seq before it (0 for a fresh stream). */
    public void start(long baseSeq) {
        checker = new ContinuityChecker(baseSeq);
        this.baseSeq = baseSeq;
        lastSeq = baseSeq;
        live = true;
    }

    /** One delivery, received at {@code nowNanos}. A delivery before {@link #start} is an error. */
    public void accept(long seq, long sentNanos, long nowNanos) {
        if (checker == null) {
            stats.error();
            return;
        }
        stats.delivered(sentNanos, nowNanos);
        if (checker.accept(seq) != ContinuityChecker.Verdict.IN_ORDER) {
            stats.seqAnomaly();
        }
        lastSeq = checker.last();
    }

    /** The connection is gone: this subscriber no longer holds a closed-loop publisher back. */
    public void close() {
        live = false;
    }

    /** Started and not closed: a subscriber that should still receive everything. */
    public boolean live() {
        return live;
    }

    /** The highest seq seen so far (or the starting one). */
    public long lastSeq() {
        return lastSeq;
    }

    /** The channel's last seq when the subscription started, or -1 if it never started. */
    public long baseSeq() {
        return checker == null ? -1 : baseSeq;
    }

    /** How many of this run's seqs it has reached: holes count as reached, they will not come. */
    public long progress() {
        long last = lastSeq;
        return last - baseSeq;
    }

    /** The checker, after the final seq was expected, or null if it never started; call on the event loop. */
    public ContinuityChecker finish(long finalSeq) {
        if (checker != null) {
            checker.expectUpTo(finalSeq);
        }
        return checker;
    }

    /**
     * The {@link #progress()} of the slowest live reception, or {@link Long#MAX_VALUE} if none is live.
     * O(n): call it per tick, never per message.
     */
    public static long slowest(List<Reception> receptions) {
        long min = Long.MAX_VALUE;
        for (Reception r : receptions) {
            if (r.live) {
                min = Math.min(min, r.progress());
            }
        }
        return min;
    }
}
