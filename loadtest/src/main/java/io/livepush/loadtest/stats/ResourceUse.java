package io.livepush.loadtest.stats;

import java.util.List;

/**
 * What a measured window cost, from {@code /proc} ({@link ResourceMeter}): the CPU time per delivery and the
 * cores kept busy, of the target's server process(es) and of this harness, and the servers' resident set at the
 * window's end. -1 where not measured: no server process found, or {@code /proc} not readable.
 *
 * @param serverPids the processes measured as the server; empty if none
 */
public record ResourceUse(
        List<Long> serverPids,
        double serverCpuUsPerDelivery,
        double serverCpuCores,
        double serverRssMb,
        double harnessCpuUsPerDelivery,
        double harnessCpuCores) {

    public static final ResourceUse NONE = new ResourceUse(List.of(), -1, -1, -1, -1, -1);

    public ResourceUse {
        serverPids = List.copyOf(serverPids);
    }

    public boolean serverMeasured() {
        return serverCpuCores >= 0;
    }

    public boolean harnessMeasured() {
        return harnessCpuCores >= 0;
    }
}
