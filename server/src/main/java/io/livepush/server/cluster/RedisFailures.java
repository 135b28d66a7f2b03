package io.livepush.server.cluster;

import io.lettuce.core.RedisException;
import io.livepush.server.channel.LogUnavailableException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What Redis's failures mean to callers: Lettuce's exceptions (away, timed out) and a connection that broke under a
 * command become {@link LogUnavailableException}.
 */
final class RedisFailures {
    private RedisFailures() {}

    static <T> CompletableFuture<T> translated(CompletionStage<T> stage) {
        return stage.toCompletableFuture().exceptionally(error -> {
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisException || cause instanceof IOException) {
                throw new LogUnavailableException("Redis: " + cause.getMessage(), cause);
            }
            throw error instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
    }
}
