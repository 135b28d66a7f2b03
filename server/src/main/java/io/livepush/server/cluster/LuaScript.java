package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script kept next to this class ({@code publish.lua}, {@code head.lua}), each documenting its keys
 * and arguments. Run with {@code EVALSHA}; on {@code NOSCRIPT} (a restarted or flushed Redis, a new replica,
 * a Cluster node that has not run it yet) with {@code EVAL}, which caches it again.
 */
final class LuaScript {
    private final RedisScriptingAsyncCommands<String, byte[]> redis;
    private final CommandIssuer issuer;
    private final String source;
    private final String sha;

    LuaScript(RedisScriptingAsyncCommands<String, byte[]> redis, CommandIssuer issuer, String file) {
        this.redis = requireNonNull(redis, "redis");
        this.issuer = requireNonNull(issuer, "issuer");
        this.source = source(file);
        this.sha = redis.digest(source);
    }

    /** The script's text, as read from the resource {@code file} next to this class. */
    static String source(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " missing next to " + LuaScript.class.getName());
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code SCRIPT LOAD}: optional (a missing script costs one {@code EVAL}), but saves that round trip. */
    CompletableFuture<String> load() {
        return issuer.issue(() -> redis.scriptLoad(source));
    }

    /** The script's reply, a list. */
    CompletableFuture<List<Object>> run(String[] keys, byte[]... args) {
        return run(redis, keys, args);
    }

    /** The script's reply, run on {@code on} (one node's connection, where a {@code WAIT} is to follow). */
    CompletableFuture<List<Object>> run(RedisScriptingAsyncCommands<String, byte[]> on, String[] keys, byte[]... args) {
        return issuer.issue(() -> on.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args))
                .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                        ? issuer.issue(() -> on.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args))
                        : CompletableFuture.failedStage(e));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
