package io.livepush.server.sync;

import io.livepush.server.channel.HomeExecutors;
import io.livepush.server.channel.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where the steps of one data-sync request run: on its space's home ({@code homes.homeOf("space:" + space)}),
 * coming back there after each call to {@link Spaces}. The embedded store answers at once, so there a request
 * runs in one task on the space's one writer; Redis answers on its I/O threads, which the decisions stay off.
 */
final class SpaceSteps {
    private final Executor home;

    private SpaceSteps(Executor home) {
        this.home = home;
    }

    /**
     * Runs {@code work} on the space's home and hands its outcome, or failure, to {@code reply} where it ends; a
     * home too busy to take it fails the reply with a {@link RejectedExecutionException}.
     */
    static <T> void start(
            HomeExecutors homes, String space, Function<SpaceSteps, CompletableFuture<T>> work, Reply<T> reply) {
        SpaceSteps steps = new SpaceSteps(homes.homeOf("space:" + space));
        try {
            steps.home.execute(() -> call(() -> work.apply(steps)).whenComplete((outcome, error) -> {
                if (error != null) {
                    reply.fail(error);
                } else {
                    reply.complete(outcome);
                }
            }));
        } catch (RejectedExecutionException e) {
            reply.fail(e);
        }
    }

    /**
     * {@code next} on the result of {@code step}, on the home: at once when the step is done already (the
     * embedded store, called on the home), else as a task there. A home too busy to take it fails the request.
     */
    <T, U> CompletableFuture<U> then(CompletableFuture<T> step, Function<T, CompletableFuture<U>> next) {
        if (step.isDone()) {
            return step.thenCompose(next);
        }
        CompletableFuture<U> out = new CompletableFuture<>();
        step.whenComplete((value, error) -> {
            try {
                home.execute(() -> {
                    if (error != null) {
                        out.completeExceptionally(error);
                    } else {
                        call(() -> next.apply(value)).whenComplete((u, e) -> {
                            if (e != null) {
                                out.completeExceptionally(e);
                            } else {
                                out.complete(u);
                            }
                        });
                    }
                });
            } catch (RejectedExecutionException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** What {@code step} returns, or what it threw as a failed future. */
    static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
