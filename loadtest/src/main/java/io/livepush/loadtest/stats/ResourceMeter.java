package io.livepush.loadtest.stats;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the CPU time this harness and the target's server process(es) use over a window, and the servers'
 * resident set at its end: {@link #start} when the window opens, {@link #stop} when it closes. A figure that
 * cannot be read (a process gone, no {@code /proc}) is -1.
 */
public final class ResourceMeter {
    private static final Logger log = LoggerFactory.getLogger(ResourceMeter.class);
    private static final long UNKNOWN = -1;
    private static final double BYTES_PER_MB = 1_000_000.0;

    private final List<Long> serverPids;
    private final long harnessPid = ProcessHandle.current().pid();
    private final long startNanos;
    private final long serverCpuAtStart;
    private final long harnessCpuAtStart;

    private ResourceMeter(List<Long> serverPids) {
        this.serverPids = List.copyOf(requireNonNull(serverPids, "serverPids"));
        this.startNanos = System.nanoTime();
        this.serverCpuAtStart = serverCpu();
        this.harnessCpuAtStart = cpu(harnessPid);
    }

    /** Opens a window now; {@code serverPids} may be empty (only the harness is measured then). */
    public static ResourceMeter start(List<Long> serverPids) {
        return new ResourceMeter(serverPids);
    }

    /** The window from {@link #start} until now, in which {@code deliveries} were received. */
    public ResourceUse stop(long deliveries) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long serverCpu = since(serverCpuAtStart, serverCpu());
        long harnessCpu = since(harnessCpuAtStart, cpu(harnessPid));
        long rss = serverRss();
        return new ResourceUse(
                serverPids,
                perDeliveryMicros(serverCpu, deliveries),
                cores(serverCpu, seconds),
                rss < 0 ? UNKNOWN : round(rss / BYTES_PER_MB),
                perDeliveryMicros(harnessCpu, deliveries),
                cores(harnessCpu, seconds));
    }

    private long serverCpu() {
        if (serverPids.isEmpty()) {
            return UNKNOWN;
        }
        long total = 0;
        for (long pid : serverPids) {
            long cpu = cpu(pid);
            if (cpu < 0) {
                return UNKNOWN;
            }
            total += cpu;
        }
        return total;
    }

    private long serverRss() {
        long total = serverPids.isEmpty() ? UNKNOWN : 0;
        for (long pid : serverPids) {
            try {
                total += ProcFs.rssBytes(pid);
            } catch (IOException | RuntimeException e) {
                log.debug("RSS of {}: {}", pid, e.toString());
                return UNKNOWN;
            }
        }
        return total;
    }

    private static long cpu(long pid) {
        try {
            return ProcFs.cpuNanos(pid);
        } catch (IOException | RuntimeException e) {
            log.debug("CPU time of {}: {}", pid, e.toString());
            return UNKNOWN;
        }
    }

    private static long since(long start, long end) {
        return start < 0 || end < 0 ? UNKNOWN : end - start;
    }

    private static double perDeliveryMicros(long cpuNanos, long deliveries) {
        return cpuNanos < 0 || deliveries <= 0 ? UNKNOWN : round(cpuNanos / 1e3 / deliveries);
    }

    private static double cores(long cpuNanos, double seconds) {
        return cpuNanos < 0 || seconds <= 0 ? UNKNOWN : round(cpuNanos / 1e9 / seconds);
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
