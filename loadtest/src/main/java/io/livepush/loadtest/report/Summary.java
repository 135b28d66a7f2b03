package io.livepush.loadtest.report;

import io.livepush.loadtest.stats.Sample;
import java.util.List;

/** Everything a run measured; written as {@code summary.json} and embedded in the HTML report. */
public record Summary(
        String scenario,
        String target,
        String transport,
        String startedAt,
        boolean passed,
        List<String> failures,
        Config config,
        Counts counts,
        Latency latencyMs,
        Continuity continuity,
        List<Sample> timeline) {

    /** {@code ratePerSec} is 0 for a closed-loop run, which keeps at most {@code backlog} undelivered. */
    public record Config(int subscribers, double ratePerSec, long durationMs, int payloadBytes, String room,
            boolean closedLoop, int backlog) {

        /** A fixed-rate run. */
        public Config(int subscribers, double ratePerSec, long durationMs, int payloadBytes, String room) {
            this(subscribers, ratePerSec, durationMs, payloadBytes, room, false, 0);
        }
    }

    public record Counts(int subscribersJoined, long published, long acked, long deliveries, long expectedDeliveries,
            double publishedPerSec, double deliveriesPerSec, long errors, double elapsedSeconds) {
    }

    public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    }

    public record Continuity(long holes, long duplicates, long outOfOrder) {
    }
}
