package io.livepush.server.channel;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The single-writer threads that own channels. A channel's home is picked by hashing its name, so
 * every join, switch, resume and publish of one channel runs in order on one thread without locks.
 * Each home's task queue is bounded: when full, work is refused with a
 * {@link RejectedExecutionException} and the caller answers "busy".
 */
public final class HomeExecutors {
    private static final long BUSY_RETRY_MS = 10;

    private final DefaultEventExecutorGroup group;
    private final EventExecutor[] homes;

    public HomeExecutors(int threads, int queueCapacity) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
        }
        group = new DefaultEventExecutorGroup(
                threads, permittingBlocking("push-home"), queueCapacity, RejectedExecutionHandlers.reject());
        List<EventExecutor> list = new ArrayList<>(threads);
        group.forEach(list::add);
        homes = list.toArray(new EventExecutor[0]);
    }

    public EventExecutor homeOf(String key) {
        return homes[Math.floorMod(key.hashCode(), homes.length)];
    }

    /**
     * Runs {@code work} on the home of {@code key} and hands its result, or what it threw, to
     * {@code reply} from inside that task; a full home fails the reply with a
     * {@link RejectedExecutionException}.
     */
    public <T> void call(String key, Supplier<T> work, Reply<T> reply) {
        try {
            homeOf(key).execute(() -> {
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException e) {
                    reply.fail(e);
                    return;
                }
                reply.complete(result);
            });
        } catch (RejectedExecutionException e) {
            reply.fail(e);
        }
    }

    /** Runs {@code work} on {@code home}, or drops it when the home's queue is full. */
    static void executeOrDrop(EventExecutor home, Runnable work) {
        try {
            home.execute(work);
        } catch (RejectedExecutionException e) {
            // dropped: the caller can lose this work
        }
    }

    /**
     * Runs {@code work} on {@code home}, trying again a little later while its queue is full: for the
     * completion of a call to a shared log, which would otherwise leave its caller waiting for good.
     */
    static void executeSurely(EventExecutor home, Runnable work) {
        try {
            home.execute(work);
        } catch (RejectedExecutionException e) {
            if (!home.isShuttingDown()) {
                CompletableFuture.delayedExecutor(BUSY_RETRY_MS, TimeUnit.MILLISECONDS)
                        .execute(() -> executeSurely(home, work));
            }
        }
    }

    public Iterable<EventExecutor> executors() {
        return List.of(homes);
    }

    public Future<?> shutdownGracefully() {
        return group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }

    /**
     * Threads for work kept off the event loops because it may wait (the store's Chronicle Map, whose segment locks
     * spin under contention; Lettuce's writer lock during a reconnect): they permit blocking calls, which Netty's
     * BlockHound integration denies every other FastThreadLocalThread. Daemon threads named {@code poolName-…}.
     */
    public static ThreadFactory permittingBlocking(String poolName) {
        return new PermittingBlockingThreadFactory(poolName);
    }

    private static final class PermittingBlockingThreadFactory extends DefaultThreadFactory {
        PermittingBlockingThreadFactory(String poolName) {
            super(poolName, true);
        }

        @Override
        protected Thread newThread(Runnable r, String name) {
            return new FastThreadLocalThread(threadGroup, r, name) {
                @Override
                public boolean permitBlockingCalls() {
                    return true;
                }
            };
        }
    }
}
