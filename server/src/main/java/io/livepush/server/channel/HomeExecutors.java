package io.livepush.server.channel;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The single-writer threads that own channels. A channel's home is picked by hashing its name, so
 * every join, switch, resume and publish of one channel runs in order on one thread without locks.
 * Each home's task queue is bounded: when full, {@code execute} throws
 * {@link java.util.concurrent.RejectedExecutionException} and the caller answers "busy".
 */
public final class HomeExecutors {
    private final DefaultEventExecutorGroup group;
    private final EventExecutor[] homes;

    public HomeExecutors(int threads, int queueCapacity) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
        }
        group = new DefaultEventExecutorGroup(threads, new DefaultThreadFactory("push-home", true),
                queueCapacity, RejectedExecutionHandlers.reject());
        List<EventExecutor> list = new ArrayList<>(threads);
        group.forEach(list::add);
        homes = list.toArray(new EventExecutor[0]);
    }

    public EventExecutor homeOf(String channel) {
        return homes[Math.floorMod(channel.hashCode(), homes.length)];
    }

    /**
     * Runs {@code work} on the home of {@code key}, then hands its result, or what it threw, to
     * {@code then} on that same thread: whatever {@code then} queues elsewhere (an answer to an event
     * loop) is thereby ordered with the key's other work.
     *
     * @throws java.util.concurrent.RejectedExecutionException when that home's queue is full
     */
    public <T> void call(String key, Supplier<T> work, BiConsumer<? super T, ? super RuntimeException> then) {
        homeOf(key).execute(() -> {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException e) {
                then.accept(null, e);
                return;
            }
            then.accept(result, null);
        });
    }

    public Iterable<EventExecutor> executors() {
        return List.of(homes);
    }

    public Future<?> shutdownGracefully() {
        return group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS);
    }
}
