package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Nodes;
import io.livepush.loadtest.engine.Pacing;
import io.livepush.loadtest.engine.Payloads;
import io.livepush.loadtest.targets.TargetKind;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The knobs of a {@link Fanout} run.
 *
 * @param kind          what is loaded: our server (TCP or WebSocket), an MQTT broker, Redis
 * @param nodes         its address, or the addresses of a cluster's nodes (loopback only): the publisher
 *                      connects to the first, subscriber {@code i} to node {@code i mod nodes.size()}
 * @param tokenSecret   our server's token secret (the harness mints its own tokens); null for the peers
 * @param room          the room every subscriber joins and the publisher publishes to (topic, channel)
 * @param pacing        a fixed rate, or closed loop with a bounded backlog
 * @param duration      how long the publisher publishes after the warm-up; the run stops by itself after it
 * @param warmup        publishing before the measured time: checked for continuity, left out of latency and rates
 * @param payloadBytes  payload size (at least 16: the send timestamp and a sequence number)
 * @param out           where summary.json and report.html go, or null for none
 * @param sampleEvery   the timeline resolution
 * @param consoleEvery  how often live stats are printed
 * @param ioThreads     event loops of the engine
 * @param tls           the client context of TLS connections to our server, or null for plain ones
 * @param serverPids    the target's server process(es), whose CPU time and memory are measured; empty: the
 *                      processes listening on the nodes' ports, where this user may see them
 */
public record FanoutOptions(
        TargetKind kind,
        Nodes nodes,
        String tokenSecret,
        String room,
        Pacing pacing,
        Duration duration,
        Duration warmup,
        int payloadBytes,
        Path out,
        Duration sampleEvery,
        Duration consoleEvery,
        int ioThreads,
        SslContext tls,
        List<Long> serverPids) {

    public FanoutOptions {
        requireNonNull(kind, "kind");
        requireNonNull(nodes, "nodes");
        requireNonNull(room, "room");
        requireNonNull(pacing, "pacing");
        requireNonNull(duration, "duration");
        requireNonNull(warmup, "warmup");
        requireNonNull(sampleEvery, "sampleEvery");
        requireNonNull(consoleEvery, "consoleEvery");
        if (kind.needsTokenSecret() && (tokenSecret == null || tokenSecret.isEmpty())) {
            throw new IllegalArgumentException(
                    "tokenSecret: " + tokenSecret + " (expected: the server's token secret for " + kind + ")");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup: " + warmup + " (expected: >= 0)");
        }
        Payloads.requireSequenced(payloadBytes);
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
        }
        if (tls != null && !kind.needsTokenSecret()) {
            throw new IllegalArgumentException("tls: for " + kind + " (expected: push-tcp or push-ws)");
        }
        serverPids = List.copyOf(serverPids);
        for (long pid : serverPids) {
            if (pid <= 0) {
                throw new IllegalArgumentException("serverPids: " + serverPids + " (expected: each > 0)");
            }
        }
    }

    /** Our server over TCP at {@code target}: 1,000 msg/s for 30 s, 100-byte payloads. */
    public static FanoutOptions defaults(InetSocketAddress target, String tokenSecret) {
        return defaults(TargetKind.PUSH_TCP, target, tokenSecret);
    }

    /** {@code kind} at {@code target} ({@code tokenSecret} may be null for the peers): 1,000 msg/s for 30 s, 100-byte payloads. */
    public static FanoutOptions defaults(TargetKind kind, InetSocketAddress target, String tokenSecret) {
        return defaults(kind, Nodes.of(target), tokenSecret);
    }

    /** {@code kind} on {@code nodes} ({@code tokenSecret} may be null for the peers): 1,000 msg/s for 30 s, 100-byte payloads. */
    public static FanoutOptions defaults(TargetKind kind, Nodes nodes, String tokenSecret) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                "room.loadtest",
                new Pacing.FixedRate(1000),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                null,
                List.of());
    }

    public FanoutOptions withTarget(TargetKind k, InetSocketAddress t) {
        return withTarget(k, Nodes.of(t));
    }

    public FanoutOptions withTarget(TargetKind k, Nodes n) {
        return new FanoutOptions(
                k,
                n,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withRate(double perSec) {
        return withPacing(new Pacing.FixedRate(perSec));
    }

    public FanoutOptions withClosedLoop(int backlog) {
        return withPacing(new Pacing.ClosedLoop(backlog));
    }

    public FanoutOptions withPacing(Pacing p) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                p,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withDuration(Duration d) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                d,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withWarmup(Duration d) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                d,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withPayloadBytes(int n) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                n,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withRoom(String r) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                r,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withOut(Path p) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                p,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                serverPids);
    }

    public FanoutOptions withConsoleEvery(Duration d) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                d,
                ioThreads,
                tls,
                serverPids);
    }

    /** @param context null for plain connections */
    public FanoutOptions withTls(SslContext context) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                context,
                serverPids);
    }

    public FanoutOptions withIoThreads(int n) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                n,
                tls,
                serverPids);
    }

    public FanoutOptions withServerPids(List<Long> pids) {
        return new FanoutOptions(
                kind,
                nodes,
                tokenSecret,
                room,
                pacing,
                duration,
                warmup,
                payloadBytes,
                out,
                sampleEvery,
                consoleEvery,
                ioThreads,
                tls,
                pids);
    }
}
