package io.livepush.loadtest.report;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.ResourceUse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Runs of one workload against several targets, side by side: each target's numbers, and for
 * deliveries/s, p99 latency, and the server's and the harness's CPU time per delivery the ratio of every
 * target to every other ({@code ratios.get(a).get(b)} is a ÷ b; NaN where b is 0 or either is not measured).
 * Written as {@code comparison.json}.
 */
public record Comparison(
        List<Entry> entries,
        Map<String, Map<String, Double>> deliveriesPerSecRatios,
        Map<String, Map<String, Double>> p99Ratios,
        Map<String, Map<String, Double>> serverCpuPerDeliveryRatios,
        Map<String, Map<String, Double>> harnessCpuPerDeliveryRatios) {

    /** One target's run. */
    public record Entry(
            String target,
            boolean passed,
            double deliveriesPerSec,
            double p50Ms,
            double p99Ms,
            double p999Ms,
            long holes,
            long duplicates,
            long outOfOrder,
            long errors,
            double serverCpuUsPerDelivery,
            double serverCpuCores,
            double serverRssMb,
            double harnessCpuUsPerDelivery) {

        static Entry of(Summary s) {
            Summary.Latency l = s.latencyMs();
            Summary.Continuity c = s.continuity();
            ResourceUse r = s.resources();
            return new Entry(
                    s.transport(),
                    s.passed(),
                    s.counts().deliveriesPerSec(),
                    l.p50(),
                    l.p99(),
                    l.p999(),
                    c.holes(),
                    c.duplicates(),
                    c.outOfOrder(),
                    s.counts().errors(),
                    r.serverCpuUsPerDelivery(),
                    r.serverCpuCores(),
                    r.serverRssMb(),
                    r.harnessCpuUsPerDelivery());
        }
    }

    public Comparison {
        entries = List.copyOf(entries);
    }

    /** The comparison of these runs, each named by its target ({@link Summary#transport()}). */
    public static Comparison of(List<Summary> runs) {
        List<Entry> entries =
                requireNonNull(runs, "runs").stream().map(Entry::of).toList();
        return new Comparison(
                entries,
                ratios(entries, Entry::deliveriesPerSec),
                ratios(entries, Entry::p99Ms),
                ratios(entries, Entry::serverCpuUsPerDelivery),
                ratios(entries, Entry::harnessCpuUsPerDelivery));
    }

    public boolean allPassed() {
        return entries.stream().allMatch(Entry::passed);
    }

    /** a ÷ b; NaN where b is 0 or either is negative (not measured). */
    static double ratio(double a, double b) {
        return b <= 0 || a < 0 ? Double.NaN : a / b;
    }

    private static Map<String, Map<String, Double>> ratios(List<Entry> entries, ToDoubleFunction<Entry> metric) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        for (Entry a : entries) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (Entry b : entries) {
                row.put(b.target(), ratio(metric.applyAsDouble(a), metric.applyAsDouble(b)));
            }
            rows.put(a.target(), row);
        }
        return rows;
    }
}
