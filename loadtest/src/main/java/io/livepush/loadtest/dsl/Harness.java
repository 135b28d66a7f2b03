package io.livepush.loadtest.dsl;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.stats.RunStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every session of a run shares: the engine that opens connections, the token minter, the run's
 * counters, the highest acknowledged seq per channel (the seq every member must reach), and the
 * correctness counters that {@link RunStats} has no name for. Thread-safe.
 */
public final class Harness {
    private final LoadEngine engine;
    private final Tokens tokens;
    private final RunStats stats;
    private final Map<String, LongAccumulator> lastAcked = new ConcurrentHashMap<>();
    private final LongAdder strays = new LongAdder();
    private final LongAdder notRecovered = new LongAdder();
    private final LongAdder wrongEpochs = new LongAdder();
    private final AtomicInteger failedSessions = new AtomicInteger();

    public Harness(LoadEngine engine, Tokens tokens, RunStats stats) {
        this.engine = requireNonNull(engine, "engine");
        this.tokens = requireNonNull(tokens, "tokens");
        this.stats = requireNonNull(stats, "stats");
    }

    public LoadEngine engine() {
        return engine;
    }

    public Tokens tokens() {
        return tokens;
    }

    public RunStats stats() {
        return stats;
    }

    void acked(String channel, long seq) {
        lastAcked
                .computeIfAbsent(channel, c -> new LongAccumulator(Math::max, 0))
                .accumulate(seq);
    }

    /** The highest seq acknowledged to any publisher of this run on {@code channel}, 0 if none. */
    public long lastAcked(String channel) {
        LongAccumulator a = lastAcked.get(channel);
        return a == null ? 0 : a.get();
    }

    void countStray() {
        strays.increment();
        stats.seqAnomaly();
    }

    /** Messages of a channel the user was not in (e.g. the old room after a switch answer). */
    public long strays() {
        return strays.sum();
    }

    void countWrongEpoch() {
        wrongEpochs.increment();
        stats.seqAnomaly();
    }

    /** Messages whose epoch is not the one their membership's answer ({@code joined}, {@code subscribed}) gave. */
    public long wrongEpochs() {
        return wrongEpochs.sum();
    }

    void countNotRecovered() {
        notRecovered.increment();
    }

    /** Resumes answered {@code recovered = false}: the user could not get what it missed. */
    public long notRecovered() {
        return notRecovered.sum();
    }

    void sessionFailed() {
        failedSessions.incrementAndGet();
    }

    /** How many sessions of this run have failed so far: it grows by one with each. */
    public int failedSessions() {
        return failedSessions.get();
    }
}
