package io.livepush.server.cluster;

import io.livepush.server.channel.HomeExecutors;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Issues the node's Redis commands from one thread of their own, never from an event loop: Lettuce's endpoint
 * makes a writer wait while a reconnect holds the connection, and an event loop must not wait. Issuing an async
 * command only encodes and queues it, so one thread keeps up with far more commands than the node sends. The
 * hand-over takes no lock (Netty's executor queue); the queue is bounded, and a command it cannot take fails at
 * once (the caller answers busy). Every command's failure passes through {@link RedisFailures#of}, so callers
 * see Redis being away as {@link io.livepush.server.channel.LogUnavailableException} wherever they issued it.
 */
public final class CommandIssuer implements AutoCloseable {
    private static final int QUEUE = 100_000;

    private final DefaultEventExecutor thread = new DefaultEventExecutor(
            null, HomeExecutors.permittingBlocking("push-redis"), QUEUE, RejectedExecutionHandlers.reject());

    /** {@code command} (which issues one Lettuce command) run on the issuing thread; its reply completes the result. */
    public <T> CompletableFuture<T> issue(Supplier<? extends CompletionStage<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    command.get().whenComplete((value, error) -> {
                        if (error != null) {
                            result.completeExceptionally(RedisFailures.of(error));
                        } else {
                            result.complete(value);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(RedisFailures.of(e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** The issuing thread, for work that issues commands on a schedule of its own (presence heartbeats). */
    public ScheduledExecutorService executor() {
        return thread;
    }

    /** Runs {@code task} on the issuing thread after {@code delay} (a retry); nothing once closed. */
    void schedule(Runnable task, Duration delay) {
        try {
            thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: nothing left to retry for
        }
    }

    @Override
    public void close() {
        thread.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
