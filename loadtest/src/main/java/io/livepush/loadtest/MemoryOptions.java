package io.livepush.loadtest;

import io.livepush.loadtest.stats.ServerMemory;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where the scenarios that measure the server's memory ({@code idle}, {@code channels}, {@code churn}) read it. */
final class MemoryOptions {
    @Option(
            names = "--server-pid",
            defaultValue = "0",
            description =
                    "the server's process id, on this machine: RSS from /proc and a GC (jcmd) before each measurement")
    long serverPid;

    @Option(
            names = "--metrics-url",
            description = "the server's metrics, e.g. http://127.0.0.1:9090/metrics: heap and direct memory")
    URI metricsUrl;

    /** Throws {@link IllegalArgumentException} for a metrics host that is not loopback. */
    ServerMemory serverMemory() {
        return new ServerMemory(serverPid, metricsUrl);
    }
}
