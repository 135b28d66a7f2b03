package io.livepush.loadtest;

import io.livepush.loadtest.engine.Nodes;
import io.livepush.loadtest.scenario.RunOptions;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every scripted scenario command shares: where the server is (one, or the nodes of a cluster), how
 * to sign in, where reports go.
 */
final class TargetOptions {
    static final String CLUSTER = "; a comma-separated list for a cluster's nodes: N hosts with one port, "
            + "N ports with one host, or N of each, paired in order; user i goes to node i mod N";

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            split = ",",
            description = "server host, loopback only" + CLUSTER + " (default: ${DEFAULT-VALUE})")
    List<String> host;

    @Option(
            names = "--port",
            defaultValue = "7070",
            split = ",",
            description = "server TCP port" + CLUSTER + " (default: ${DEFAULT-VALUE})")
    List<Integer> port;

    @Option(
            names = "--token-secret",
            required = true,
            description = "the server's token secret (tokens are minted here)")
    String tokenSecret;

    @Mixin
    TlsOptions tls;

    @Option(names = "--io-threads", description = "event loops (default: available processors)")
    Integer ioThreads;

    @Option(names = "--out", description = "directory for summary.json and report.html")
    Path out;

    /** Throws {@link IllegalArgumentException} for a host that is not loopback, or hosts and ports that do not pair. */
    RunOptions runOptions() {
        RunOptions run = RunOptions.defaults(Nodes.parse("--host", host, "--port", port), tokenSecret)
                .withOut(out)
                .withTls(tls.context());
        return ioThreads == null ? run : run.withIoThreads(ioThreads);
    }
}
