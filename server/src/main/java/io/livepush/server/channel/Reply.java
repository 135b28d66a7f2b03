package io.livepush.server.channel;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where the result of work on a channel's home goes: {@code then}, run on {@code returnTo} (a
 * connection's event loop). The home hands it over from inside its task, so on that loop the answer
 * comes before any later fan-out of the same channel: what lets a member get its {@code joined}
 * before the first live message. The one way back from a home to a connection.
 *
 * @param <T> the result; a {@link Releasable} one is released when the loop refuses it
 */
public final class Reply<T> {
    /** A result that holds buffers: released when it cannot be delivered. */
    public interface Releasable {
        void release();
    }

    private final Executor returnTo;
    private final BiConsumer<? super T, ? super Throwable> then;

    private Reply(Executor returnTo, BiConsumer<? super T, ? super Throwable> then) {
        this.returnTo = requireNonNull(returnTo, "returnTo");
        this.then = requireNonNull(then, "then");
    }

    /** {@code then(result, null)} or {@code then(null, error)} on {@code loop}. */
    public static <T> Reply<T> on(Executor loop, BiConsumer<? super T, ? super Throwable> then) {
        return new Reply<>(loop, then);
    }

    /** Completes {@code future} on the home thread itself: for callers with no event loop (the admin API). */
    public static <T> Reply<T> to(CompletableFuture<T> future) {
        requireNonNull(future, "future");
        return new Reply<>(Runnable::run, (value, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(value);
            }
        });
    }

    /** A future completed on the home thread: {@link #to}. */
    public static <T> CompletableFuture<T> future(Consumer<Reply<T>> request) {
        CompletableFuture<T> future = new CompletableFuture<>();
        request.accept(to(future));
        return future;
    }

    public void complete(T value) {
        try {
            returnTo.execute(() -> then.accept(value, null));
        } catch (RejectedExecutionException e) {
            if (value instanceof Releasable r) {
                r.release(); // the connection's loop is shutting down with it
            }
        }
    }

    public void fail(Throwable error) {
        try {
            returnTo.execute(() -> then.accept(null, error));
        } catch (RejectedExecutionException e) {
            // the connection's loop is shutting down with it: nobody left to tell
        }
    }
}
