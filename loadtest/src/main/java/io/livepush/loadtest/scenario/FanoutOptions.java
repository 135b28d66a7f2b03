package io.livepush.loadtest.scenario;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Payloads;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The knobs of a {@link Fanout} run.
 *
 * @param target        the server's TCP address (loopback only)
 * @param tokenSecret   the server's token secret: the harness mints its own tokens
 * @param room          the room every subscriber joins and the publisher publishes to
 * @param ratePerSec    publishes per second
 * @param duration      how long the publisher publishes; the run stops by itself after it
 * @param payloadBytes  payload size (at least 8: the send timestamp)
 * @param out           where summary.json and report.html go, or null for none
 * @param sampleEvery   the timeline resolution
 * @param consoleEvery  how often live stats are printed
 * @param ioThreads     event loops of the engine
 */
public record FanoutOptions(InetSocketAddress target, String tokenSecret, String room, double ratePerSec,
        Duration duration, int payloadBytes, Path out, Duration sampleEvery, Duration consoleEvery, int ioThreads) {

    public FanoutOptions {
        requireNonNull(target, "target");
        requireNonNull(tokenSecret, "tokenSecret");
        requireNonNull(room, "room");
        requireNonNull(duration, "duration");
        requireNonNull(sampleEvery, "sampleEvery");
        requireNonNull(consoleEvery, "consoleEvery");
        if (!(ratePerSec > 0)) {
            throw new IllegalArgumentException("ratePerSec: " + ratePerSec + " (expected: > 0)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (payloadBytes < Payloads.MIN_BYTES) {
            throw new IllegalArgumentException("payloadBytes: " + payloadBytes + " (expected: >= " + Payloads.MIN_BYTES + ")");
        }
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
        }
    }

    public static FanoutOptions defaults(InetSocketAddress target, String tokenSecret) {
        return new FanoutOptions(target, tokenSecret, "room.loadtest", 1000, Duration.ofSeconds(30), 100, null,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public FanoutOptions withRate(double r) {
        return new FanoutOptions(target, tokenSecret, room, r, duration, payloadBytes, out, sampleEvery, consoleEvery, ioThreads);
    }

    public FanoutOptions withDuration(Duration d) {
        return new FanoutOptions(target, tokenSecret, room, ratePerSec, d, payloadBytes, out, sampleEvery, consoleEvery, ioThreads);
    }

    public FanoutOptions withPayloadBytes(int n) {
        return new FanoutOptions(target, tokenSecret, room, ratePerSec, duration, n, out, sampleEvery, consoleEvery, ioThreads);
    }

    public FanoutOptions withRoom(String r) {
        return new FanoutOptions(target, tokenSecret, r, ratePerSec, duration, payloadBytes, out, sampleEvery, consoleEvery, ioThreads);
    }

    public FanoutOptions withOut(Path p) {
        return new FanoutOptions(target, tokenSecret, room, ratePerSec, duration, payloadBytes, p, sampleEvery, consoleEvery, ioThreads);
    }

    public FanoutOptions withConsoleEvery(Duration d) {
        return new FanoutOptions(target, tokenSecret, room, ratePerSec, duration, payloadBytes, out, sampleEvery, d, ioThreads);
    }
}
