package io.livepush.loadtest;

import io.livepush.loadtest.engine.Loopback;
import io.livepush.loadtest.scenario.RunOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every scripted scenario command shares: where the server is, how to sign in, where reports go. */
final class TargetOptions {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "server host, loopback only (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "7070", description = "server TCP port (default: ${DEFAULT-VALUE})")
    int port;

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

    /** Throws {@link IllegalArgumentException} for a host that is not loopback. */
    RunOptions runOptions() {
        RunOptions run = RunOptions.defaults(new InetSocketAddress(Loopback.resolve(host), port), tokenSecret)
                .withOut(out)
                .withTls(tls.context());
        return ioThreads == null ? run : run.withIoThreads(ioThreads);
    }
}
