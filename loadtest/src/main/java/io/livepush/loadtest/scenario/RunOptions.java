package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Nodes;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scripted scenario run needs besides its own knobs.
 *
 * @param nodes        the server's TCP address, or those of a cluster's nodes (loopback only): user {@code i}
 *                     of each scenario connects to node {@code i mod nodes.size()}, so a lone publisher to the first
 * @param tokenSecret  the server's token secret: the harness mints its own tokens
 * @param out          where summary.json and report.html go, or null for none
 * @param sampleEvery  the timeline resolution
 * @param consoleEvery how often live stats are printed
 * @param ioThreads    event loops of the engine
 * @param tls          the client context of TLS connections, or null for plain ones
 */
public record RunOptions(
        Nodes nodes,
        String tokenSecret,
        Path out,
        Duration sampleEvery,
        Duration consoleEvery,
        int ioThreads,
        SslContext tls) {

    public RunOptions {
        requireNonNull(nodes, "nodes");
        requireNonNull(tokenSecret, "tokenSecret");
        requireNonNull(sampleEvery, "sampleEvery");
        requireNonNull(consoleEvery, "consoleEvery");
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
        }
    }

    public static RunOptions defaults(InetSocketAddress target, String tokenSecret) {
        return defaults(Nodes.of(target), tokenSecret);
    }

    public static RunOptions defaults(Nodes nodes, String tokenSecret) {
        return new RunOptions(
                nodes,
                tokenSecret,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                null);
    }

    public RunOptions withOut(Path p) {
        return new RunOptions(nodes, tokenSecret, p, sampleEvery, consoleEvery, ioThreads, tls);
    }

    public RunOptions withConsoleEvery(Duration d) {
        return new RunOptions(nodes, tokenSecret, out, sampleEvery, d, ioThreads, tls);
    }

    public RunOptions withIoThreads(int n) {
        return new RunOptions(nodes, tokenSecret, out, sampleEvery, consoleEvery, n, tls);
    }

    /** @param context null for plain connections */
    public RunOptions withTls(SslContext context) {
        return new RunOptions(nodes, tokenSecret, out, sampleEvery, consoleEvery, ioThreads, context);
    }
}
