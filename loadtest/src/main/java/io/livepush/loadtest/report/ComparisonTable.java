package io.livepush.loadtest.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The console table of a {@link Comparison}: one line per target, then the ratio matrices. */
public final class ComparisonTable {
    private ComparisonTable() {}

    public static void print(Comparison c, PrintStream out) {
        String line = "-".repeat(146);
        out.println(line);
        out.printf(
                Locale.ROOT,
                "%-10s %-7s %14s %9s %9s %9s %10s %6s %6s %7s %10s %9s %8s %10s%n",
                "target",
                "result",
                "deliveries/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "holes",
                "dups",
                "o-o-o",
                "errors",
                "srv us/dlv",
                "srv cores",
                "srv MB",
                "lt us/dlv");
        for (Comparison.Entry e : c.entries()) {
            out.printf(
                    Locale.ROOT,
                    "%-10s %-7s %,14.0f %9.2f %9.2f %9.2f %,10d %,6d %,6d %,7d %10s %9s %8s %10s%n",
                    e.target(),
                    e.passed() ? "PASSED" : "FAILED",
                    e.deliveriesPerSec(),
                    e.p50Ms(),
                    e.p99Ms(),
                    e.p999Ms(),
                    e.holes(),
                    e.duplicates(),
                    e.outOfOrder(),
                    e.errors(),
                    measured(e.serverCpuUsPerDelivery(), "%.3f"),
                    measured(e.serverCpuCores(), "%.2f"),
                    measured(e.serverRssMb(), "%.0f"),
                    measured(e.harnessCpuUsPerDelivery(), "%.3f"));
        }
        if (c.entries().size() > 1) {
            matrix(
                    out,
                    "deliveries/s ratio, row / column (above 1: the row fans out more)",
                    c.deliveriesPerSecRatios());
            matrix(out, "p99 latency ratio, row / column (below 1: the row is faster)", c.p99Ratios());
            matrix(
                    out,
                    "server CPU per delivery ratio, row / column (below 1: the row's server spends less)",
                    c.serverCpuPerDeliveryRatios());
            matrix(
                    out,
                    "harness CPU per delivery ratio, row / column (below 1: the harness spends less on the row)",
                    c.harnessCpuPerDeliveryRatios());
        }
        out.println(line);
    }

    /** A ratio with two decimals, or "-" where there is none (NaN). */
    static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    /** {@code v} in {@code format}, or "-" where not measured (negative). */
    static String measured(double v, String format) {
        return v < 0 ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static void matrix(PrintStream out, String title, Map<String, Map<String, Double>> ratios) {
        out.println();
        out.println(title);
        out.printf(Locale.ROOT, "%-10s", "");
        ratios.keySet().forEach(t -> out.printf(Locale.ROOT, " %10s", t));
        out.println();
        ratios.forEach((row, cols) -> {
            out.printf(Locale.ROOT, "%-10s", row);
            cols.values().forEach(r -> out.printf(Locale.ROOT, " %10s", ratio(r)));
            out.println();
        });
    }
}
