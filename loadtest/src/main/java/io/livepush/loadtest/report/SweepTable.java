package io.livepush.loadtest.report;

import java.io.PrintStream;
import java.util.Locale;

/** The console table of a {@link Sweep}: one line per rate and target, with its ratios to the rate's first target. */
public final class SweepTable {
    private SweepTable() {}

    public static void print(Sweep sweep, PrintStream out) {
        String line = "-".repeat(118);
        out.println(line);
        out.printf(
                Locale.ROOT,
                "%8s %-10s %-7s %14s %9s %10s %10s %8s %9s %9s %9s%n",
                "msg/s",
                "target",
                "result",
                "deliveries/s",
                "p99 ms",
                "srv us/dlv",
                "lt us/dlv",
                "srv MB",
                "x dlv/s",
                "x p99",
                "x srv cpu");
        for (Sweep.Step step : sweep.steps()) {
            Comparison c = step.comparison();
            String first = c.entries().get(0).target();
            for (Comparison.Entry e : c.entries()) {
                out.printf(
                        Locale.ROOT,
                        "%,8.0f %-10s %-7s %,14.0f %9.2f %10s %10s %8s %9s %9s %9s%n",
                        step.ratePerSec(),
                        e.target(),
                        e.passed() ? "PASSED" : "FAILED",
                        e.deliveriesPerSec(),
                        e.p99Ms(),
                        ComparisonTable.measured(e.serverCpuUsPerDelivery(), "%.3f"),
                        ComparisonTable.measured(e.harnessCpuUsPerDelivery(), "%.3f"),
                        ComparisonTable.measured(e.serverRssMb(), "%.0f"),
                        ComparisonTable.ratio(
                                c.deliveriesPerSecRatios().get(e.target()).get(first)),
                        ComparisonTable.ratio(c.p99Ratios().get(e.target()).get(first)),
                        ComparisonTable.ratio(
                                c.serverCpuPerDeliveryRatios().get(e.target()).get(first)));
            }
        }
        out.println("x: ratio to the first target at the same rate");
        out.println(line);
    }
}
