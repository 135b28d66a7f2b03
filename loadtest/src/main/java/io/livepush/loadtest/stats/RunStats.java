package io.livepush.loadtest.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counters and the latency recorder shared by every virtual user. Written from all event loops
 * without locks: {@link LongAdder}s and HdrHistogram's wait-free {@link Recorder}.
 */
public final class RunStats {
    /** End-to-end latency in microseconds; the sampler takes interval histograms from it. */
    private final Recorder latencyMicros = new Recorder(3);

    private final LongAdder deliveries = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder seqAnomalies = new LongAdder();
    private final AtomicInteger active = new AtomicInteger();

    public void delivered(long sentNanos, long nowNanos) {
        deliveries.increment();
        latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nowNanos - sentNanos)));
    }

    /** A delivery without a latency sample: a replayed message, whose send time is long past. */
    public void deliveredUntimed() {
        deliveries.increment();
    }

    public void published() {
        published.increment();
    }

    public void acked() {
        acked.increment();
    }

    public void error() {
        errors.increment();
    }

    public void seqAnomaly() {
        seqAnomalies.increment();
    }

    public void connectionUp() {
        active.incrementAndGet();
    }

    public void connectionDown() {
        active.decrementAndGet();
    }

    public Recorder latencyRecorder() {
        return latencyMicros;
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long publishedCount() {
        return published.sum();
    }

    public long ackedCount() {
        return acked.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long seqAnomalies() {
        return seqAnomalies.sum();
    }

    public int activeConnections() {
        return active.get();
    }
}
