package io.livepush.server.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.livepush.server.channel.LogUnavailableException;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * What Redis's failures mean to callers: Lettuce's exceptions (away, timed out) and a connection that broke under a
 * command become {@link LogUnavailableException}; a script missing from Redis's cache stays as it is, for
 * {@link LuaScript} to load it.
 */
final class RedisFailures {
    private RedisFailures() {}

    static Throwable of(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RedisNoScriptException) {
            return cause;
        }
        if (cause instanceof RedisException || cause instanceof IOException) {
            return new LogUnavailableException("Redis: " + cause.getMessage(), cause);
        }
        return cause;
    }
}
