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
 * The publish of one message as one Lua script ({@code publish.lua} next to this class): idempotency check,
 * epoch (created if missing), seq, {@code XADD} with the seq as the entry id and an exact {@code MAXLEN}, TTLs,
 * and the {@code PUBLISH} to the live channel, all atomically, so that stream order is delivery order.
 *
 * <pre>
 * KEYS[1] meta    KEYS[2] stream    KEYS[3] idempotency key (only with a key)
 * ARGV[1] epoch candidate (random, from the caller: the script stays deterministic)
 * ARGV[2] retention (messages)    ARGV[3] max age (ms)    ARGV[4] idempotency window (ms)
 * ARGV[5] live Pub/Sub channel
 * ARGV[6] Message field 1 (channel), encoded    ARGV[7] Message fields 4-7, encoded
 * returns {epoch, seq, duplicate (0/1)}
 * </pre>
 *
 * <p>Run with {@code EVALSHA}; on {@code NOSCRIPT} (a restarted or flushed Redis, a new replica) with
 * {@code EVAL}, which caches it again.
 */
final class PublishScript {
    static final String SOURCE = readSource();

    private final RedisScriptingAsyncCommands<String, byte[]> redis;
    private final String sha;

    PublishScript(RedisScriptingAsyncCommands<String, byte[]> redis) {
        this.redis = requireNonNull(redis, "redis");
        this.sha = redis.digest(SOURCE);
    }

    /** {@code SCRIPT LOAD}: optional (a missing script costs one {@code EVAL}), but saves that round trip. */
    CompletableFuture<String> load() {
        return redis.scriptLoad(SOURCE).toCompletableFuture();
    }

    /** Arguments as in the class comment, from {@code ARGV[1]} on. */
    CompletableFuture<Published> run(String[] keys, byte[]... args) {
        return redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                        ? redis.<List<Object>>eval(SOURCE, ScriptOutputType.MULTI, keys, args)
                        : CompletableFuture.failedStage(e))
                .thenApply(PublishScript::published);
    }

    private static Published published(List<Object> reply) {
        return new Published(new String((byte[]) reply.get(0), UTF_8), (Long) reply.get(1), ((Long) reply.get(2)) != 0);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String readSource() {
        try (InputStream in = PublishScript.class.getResourceAsStream("publish.lua")) {
            if (in == null) {
                throw new IllegalStateException("publish.lua missing next to " + PublishScript.class.getName());
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
