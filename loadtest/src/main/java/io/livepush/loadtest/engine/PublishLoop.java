package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The publishing loop every target shares; only {@link Sink#write} is protocol. A 1 ms tick on the
 * connection's event loop writes what the {@link Pacing} allows, one flush per tick:
 * <ul>
 *   <li>fixed rate: what is due since the start (so the average rate holds even when ticks are late);
 *   <li>closed loop: up to {@code backlog} ahead of the slowest subscriber, whose progress is read
 *       again only when the budget looks spent (at most once per tick, never per message).
 * </ul>
 * Either way it writes nothing while the connection is not writable or, for protocols that answer
 * publishes, while {@code maxInFlight} are unanswered: the backlog stays bounded and the achieved
 * rate shows in the report.
 */
public final class PublishLoop {
    /** Writes message {@code seq} (1, 2, 3 … per run) stamped {@code sentNanos}, without flushing. */
    @FunctionalInterface
    public interface Sink {
        void write(Channel ch, long seq, long sentNanos);
    }

    private final Sink sink;
    private final RunStats stats;
    private final boolean answered;
    private final int maxInFlight;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Channel channel;
    private Pacing pacing;
    private LongSupplier slowestProgress;
    private ScheduledFuture<?> ticker;
    private long startNanos;
    private long endNanos;
    private long slowest;
    private long sent;
    private long answers;
    private volatile long published;

    private PublishLoop(Sink sink, boolean answered, int maxInFlight, RunStats stats) {
        this.sink = requireNonNull(sink, "sink");
        this.stats = requireNonNull(stats, "stats");
        if (maxInFlight <= 0) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: > 0)");
        }
        this.answered = answered;
        this.maxInFlight = maxInFlight;
    }

    /** For protocols that answer every publish: call {@link #answered()} for each answer. */
    public static PublishLoop answered(Sink sink, int maxInFlight, RunStats stats) {
        return new PublishLoop(sink, true, maxInFlight, stats);
    }

    /** For fire-and-forget protocols (MQTT QoS 0): only writability bounds what is in flight. */
    public static PublishLoop unanswered(Sink sink, RunStats stats) {
        return new PublishLoop(sink, false, Integer.MAX_VALUE, stats);
    }

    /** See {@link Sender#start}. Thread-safe. */
    public CompletableFuture<Void> start(Channel ch, Pacing pacing, LongSupplier slowestProgress, Duration duration) {
        requireNonNull(ch, "not connected");
        requireNonNull(pacing, "pacing");
        requireNonNull(slowestProgress, "slowestProgress");
        ch.eventLoop().execute(() -> {
            this.channel = ch;
            this.pacing = pacing;
            this.slowestProgress = slowestProgress;
            startNanos = System.nanoTime();
            endNanos = startNanos + duration.toNanos();
            ticker = ch.eventLoop().scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.MILLISECONDS);
        });
        ch.closeFuture().addListener(f -> done.complete(null));
        return done;
    }

    private void tick() {
        if (!channel.isActive()) {
            stop();
            return;
        }
        long now = System.nanoTime();
        boolean caughtUp = publish(Math.min(now, endNanos));
        // At a fixed rate, ticks after the end still send what was due by then (late ticks, or a full
        // outbound buffer, delay messages but do not drop them): the count is rate × duration.
        if (now >= endNanos && (caughtUp || pacing instanceof Pacing.ClosedLoop)) {
            stop();
        }
    }

    /** Writes what is allowed by {@code now}; returns whether all of it went out. */
    private boolean publish(long now) {
        long allowed = allowed(now);
        boolean wrote = false;
        while (sent < allowed && sent - answers < maxInFlight && channel.isWritable()) {
            sent++;
            sink.write(channel, sent, System.nanoTime());
            stats.published();
            wrote = true;
        }
        if (wrote) {
            published = sent;
            channel.flush();
        }
        return sent >= allowed;
    }

    private void stop() {
        ticker.cancel(false);
        maybeDone();
    }

    /** How many messages may have been sent in all by {@code now}. */
    private long allowed(long now) {
        if (pacing instanceof Pacing.ClosedLoop closed) {
            int backlog = closed.backlog();
            if (sent - slowest >= backlog) {
                slowest = slowestProgress.getAsLong();
            }
            // No live subscriber (Long.MAX_VALUE): nothing to wait for.
            return slowest > Long.MAX_VALUE - backlog ? Long.MAX_VALUE : slowest + backlog;
        }
        return (long) ((now - startNanos) / 1e9 * ((Pacing.FixedRate) pacing).perSec());
    }

    /** One publish was answered (accepted or refused); call on the event loop. */
    public void answered() {
        answers++;
        maybeDone();
    }

    private void maybeDone() {
        if (ticker != null && ticker.isDone() && (!answered || answers >= sent)) {
            done.complete(null);
        }
    }

    /** How many messages were written so far; readable from any thread. */
    public long sent() {
        return published;
    }
}
