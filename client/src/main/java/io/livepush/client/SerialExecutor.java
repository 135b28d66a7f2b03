package io.livepush.client;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks on an application's executor one at a time, in the order they were given, whatever that
 * executor's threads: a listener on a thread pool still sees its callbacks in the client's order.
 */
final class SerialExecutor implements Executor {
    private static final System.Logger log = System.getLogger(PushClient.class.getName());

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
    }

    /** Queues {@code task}; it must not throw (the client's callbacks catch their own failures). */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The application shut its executor down: it gets no more callbacks, the client itself goes on.
            tasks.clear();
            draining.set(false);
            log.log(Level.WARNING, "callback executor rejected the client's callbacks; they are dropped", e);
        }
    }

    private void drain() {
        try {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
            }
        } finally {
            draining.set(false);
        }
        // A task queued after the last poll but before the flag was cleared found the drain still running.
        scheduleDrain();
    }
}
