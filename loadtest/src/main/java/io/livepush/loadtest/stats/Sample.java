package io.livepush.loadtest.stats;

/**
 * One point of the timeline: what happened in the interval ending {@code tSeconds} after the start.
 * Latencies in milliseconds; counts are totals so far except the per-second rates.
 */
public record Sample(
        double tSeconds,
        double deliveriesPerSec,
        double publishedPerSec,
        double p50Ms,
        double p99Ms,
        double maxMs,
        int activeConnections,
        long errors,
        long seqAnomalies) {}
