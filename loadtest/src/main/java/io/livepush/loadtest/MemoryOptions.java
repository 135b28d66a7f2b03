package io.livepush.loadtest;

import io.livepush.loadtest.stats.ServerMemory;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the scenarios that measure the server's memory ({@code idle}, {@code channels}, {@code churn}) read it:
 * one server, or every node of a cluster (one pid and one metrics URL per node, in node order).
 */
final class MemoryOptions {
    @Option(
            names = "--server-pid",
            split = ",",
            description =
                    "the server's process id, on this machine: RSS from /proc and a GC (jcmd) before each measurement; "
                            + "for a cluster, one per node in node order (figures are the sum, then each node's)")
    List<Long> serverPid;

    @Option(
            names = "--metrics-url",
            split = ",",
            description = "the server's metrics, e.g. http://127.0.0.1:9090/metrics: heap and direct memory; "
                    + "for a cluster, one per node in node order")
    List<URI> metricsUrl;

    /**
     * Throws {@link IllegalArgumentException} for a metrics host that is not loopback, or for lists that do not
     * name one pid or URL per node.
     */
    ServerMemory serverMemory(int nodes) {
        List<Long> pids = serverPid == null
                ? List.of()
                : serverPid.stream().filter(p -> p != 0).toList();
        List<URI> urls = metricsUrl == null ? List.of() : metricsUrl;
        perNode("--server-pid", pids.size(), nodes);
        perNode("--metrics-url", urls.size(), nodes);
        return new ServerMemory(pids, urls);
    }

    private static void perNode(String option, int given, int nodes) {
        if (given != 0 && given != nodes) {
            throw new IllegalArgumentException(option + ": " + given + " given for " + nodes + " node(s)"
                    + " (expected: one per node, in --host/--port order)");
        }
    }
}
