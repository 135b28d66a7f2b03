package io.livepush.loadtest.report;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.ResourceUse;
import io.livepush.loadtest.stats.Sample;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a run measured; written as {@code summary.json} and embedded in the HTML report. */
public record Summary(
        String scenario,
        String target,
        List<Node> nodes,
        String transport,
        String startedAt,
        boolean passed,
        List<String> failures,
        Config config,
        Counts counts,
        Latency latencyMs,
        Continuity continuity,
        Map<String, Double> results,
        List<Sample> timeline,
        ResourceUse resources) {

    /**
     * @param target  the address loaded, or the comma-separated addresses of a cluster's nodes
     * @param nodes   every node with the members it held at the end, in {@code target}'s order; empty if not known
     * @param results the scenario's own figures, by name, in the order they were added (e.g.
     *                {@code stormRecoveryMs}, {@code serverRssBytesPerConnection}); empty for none
     * @param resources the CPU time and memory the measured window cost the server and the harness;
     *                  {@link ResourceUse#NONE} where not measured
     */
    public Summary {
        nodes = List.copyOf(nodes);
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
        requireNonNull(resources, "resources");
    }

    /** A summary without resource figures. */
    public Summary(
            String scenario,
            String target,
            List<Node> nodes,
            String transport,
            String startedAt,
            boolean passed,
            List<String> failures,
            Config config,
            Counts counts,
            Latency latencyMs,
            Continuity continuity,
            Map<String, Double> results,
            List<Sample> timeline) {
        this(
                scenario,
                target,
                nodes,
                transport,
                startedAt,
                passed,
                failures,
                config,
                counts,
                latencyMs,
                continuity,
                results,
                timeline,
                ResourceUse.NONE);
    }

    /** A summary with no per-node figures. */
    public Summary(
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
            Map<String, Double> results,
            List<Sample> timeline) {
        this(
                scenario,
                target,
                List.of(),
                transport,
                startedAt,
                passed,
                failures,
                config,
                counts,
                latencyMs,
                continuity,
                results,
                timeline);
    }

    /** A summary with no per-node and no scenario-specific figures. */
    public Summary(
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
        this(
                scenario,
                target,
                List.of(),
                transport,
                startedAt,
                passed,
                failures,
                config,
                counts,
                latencyMs,
                continuity,
                Map.of(),
                timeline);
    }

    /**
     * One node of the target: its address ({@code host:port}) and how many of the run's members (users that
     * joined a room or subscribed) were on it at the end — after a reconnect storm, the node they came back on.
     */
    public record Node(String address, int members) {}

    /** {@code ratePerSec} is 0 for a closed-loop run, which keeps at most {@code backlog} undelivered. */
    public record Config(
            int subscribers,
            double ratePerSec,
            long durationMs,
            int payloadBytes,
            String room,
            boolean closedLoop,
            int backlog,
            long warmupMs) {

        /** A fixed-rate run. */
        public Config(int subscribers, double ratePerSec, long durationMs, int payloadBytes, String room) {
            this(subscribers, ratePerSec, durationMs, payloadBytes, room, false, 0);
        }

        /** A run without a warm-up. */
        public Config(
                int subscribers,
                double ratePerSec,
                long durationMs,
                int payloadBytes,
                String room,
                boolean closedLoop,
                int backlog) {
            this(subscribers, ratePerSec, durationMs, payloadBytes, room, closedLoop, backlog, 0);
        }

        public Config withWarmupMs(long ms) {
            return new Config(subscribers, ratePerSec, durationMs, payloadBytes, room, closedLoop, backlog, ms);
        }
    }

    public record Counts(
            int subscribersJoined,
            long published,
            long acked,
            long deliveries,
            long expectedDeliveries,
            double publishedPerSec,
            double deliveriesPerSec,
            long errors,
            double elapsedSeconds) {}

    public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {}

    public record Continuity(long holes, long duplicates, long outOfOrder) {}
}
