package io.livepush.loadtest.report;

import io.livepush.loadtest.stats.ResourceUse;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** The final console table of a run. */
public final class ConsoleTable {
    private ConsoleTable() {}

    public static void print(Summary s, PrintStream out) {
        Summary.Counts c = s.counts();
        Summary.Latency l = s.latencyMs();
        Summary.Continuity k = s.continuity();
        String line = "-".repeat(60);
        out.println(line);
        out.printf(Locale.ROOT, "%-28s %s -> %s (%s)%n", "scenario", s.scenario(), s.target(), s.transport());
        if (s.nodes().size() > 1) {
            row(
                    out,
                    "nodes (members)",
                    "%d: %s",
                    s.nodes().size(),
                    s.nodes().stream()
                            .map(n -> n.address() + " (" + n.members() + ")")
                            .collect(Collectors.joining(", ")));
        }
        row(
                out,
                "subscribers joined",
                "%,d / %,d",
                c.subscribersJoined(),
                s.config().subscribers());
        row(out, "published (acked)", "%,d (%,d)", c.published(), c.acked());
        if (s.config().closedLoop()) {
            row(
                    out,
                    "published/s",
                    "%,.0f (closed loop, backlog %,d)",
                    c.publishedPerSec(),
                    s.config().backlog());
        } else {
            row(
                    out,
                    "published/s",
                    "%,.0f (target %,.0f)",
                    c.publishedPerSec(),
                    s.config().ratePerSec());
        }
        row(out, "deliveries (expected)", "%,d (%,d)", c.deliveries(), c.expectedDeliveries());
        row(out, "deliveries/s", "%,.0f", c.deliveriesPerSec());
        row(out, "latency ms p50 / p90 / p99", "%.2f / %.2f / %.2f", l.p50(), l.p90(), l.p99());
        row(out, "latency ms p99.9 / max", "%.2f / %.2f", l.p999(), l.max());
        row(out, "holes / duplicates / out-of-order", "%d / %d / %d", k.holes(), k.duplicates(), k.outOfOrder());
        row(out, "errors", "%d", c.errors());
        resources(s.resources(), out);
        s.results().forEach((name, value) -> row(out, name, "%s", format(value)));
        out.println(line);
        out.println(s.passed() ? "PASSED" : "FAILED: " + String.join("; ", s.failures()));
    }

    private static void resources(ResourceUse r, PrintStream out) {
        if (!r.harnessMeasured()) {
            return;
        }
        if (r.serverMeasured()) {
            row(out, "server CPU us/delivery (cores)", "%.3f (%.2f)", r.serverCpuUsPerDelivery(), r.serverCpuCores());
            row(out, "server RSS MB (pids)", "%.1f (%s)", r.serverRssMb(), pids(r));
        } else {
            row(out, "server CPU us/delivery (cores)", "not measured (no server process: --server-pid)");
        }
        row(out, "harness CPU us/delivery (cores)", "%.3f (%.2f)", r.harnessCpuUsPerDelivery(), r.harnessCpuCores());
    }

    private static String pids(ResourceUse r) {
        return r.serverPids().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Whole numbers without a fraction, others with two decimals. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%,.2f", v);
    }

    private static void row(PrintStream out, String name, String format, Object... args) {
        out.printf(Locale.ROOT, "%-34s %s%n", name, String.format(Locale.ROOT, format, args));
    }
}
