package io.livepush.loadtest.engine;

import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/** The publisher connection of any target: the last handler of its pipeline. */
public interface Sender extends ChannelHandler {

    /** Completes once the connection can publish, exceptionally if that failed. */
    CompletableFuture<Void> ready();

    /**
     * Starts publishing for {@code duration}; the future completes when the time is up and every
     * publish was answered (where the protocol answers), or the connection closed. Thread-safe.
     *
     * @param slowestProgress the slowest subscriber's {@link Reception#progress()} (used by {@link Pacing.ClosedLoop})
     */
    CompletableFuture<Void> start(Pacing pacing, LongSupplier slowestProgress, Duration duration);

    /** The last seq subscribers should see, in their seq space; read after the future completed. */
    long finalSeq();

    /** Closes the connection on purpose: not counted as an error. */
    void stop();
}
