package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.livepush.server.session.SharedUserLimits;
import io.netty.channel.ChannelId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --max-connections-per-user} and {@code --publish-rate-per-user} counted across the cluster in Redis:
 *
 * <pre>
 * push:user:{u}:connections   sorted set: "&lt;node&gt;/&lt;connection&gt;" → when it expires (ms); user_connection.lua
 * push:user:{u}:publishes     string: when the user's publish bucket is full again (µs); user_publish.lua
 * </pre>
 *
 * <p>Each node renews its connections' entries every 10 s; an entry lives 30 s, so a node that dies stops counting
 * within 30 s. A connection is counted when it has connected; one past the maximum is closed right after its
 * {@code Connected} (the node's own count refuses it before, as on one node). When Redis cannot be asked, a
 * connection or publish is let through: a limit must not turn a Redis outage into a refusal of everyone.
 */
public final class RedisUserLimits implements SharedUserLimits {
    private static final Logger log = LoggerFactory.getLogger(RedisUserLimits.class);
    private static final Duration ENTRY_LIFE = Duration.ofSeconds(30);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(10);

    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final CommandIssuer issuer;
    private final LuaScript connectionScript;
    private final LuaScript publishScript;
    private final String nodeId;
    private final int maxConnections;
    private final int publishRate;
    /** This node's counted connections, member → its key: what the renewals write. */
    private final Map<String, String> counted = new ConcurrentHashMap<>();

    /** {@code maxConnections} and {@code publishRate}: 0 = no limit. */
    public RedisUserLimits(
            RedisClusterAsyncCommands<String, byte[]> redis,
            CommandIssuer issuer,
            String nodeId,
            int maxConnections,
            int publishRate) {
        this.redis = requireNonNull(redis, "redis");
        this.issuer = requireNonNull(issuer, "issuer");
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.connectionScript = new LuaScript(redis, issuer, "user_connection.lua");
        this.publishScript = new LuaScript(redis, issuer, "user_publish.lua");
        this.maxConnections = maxConnections;
        this.publishRate = publishRate;
    }

    /** Renews this node's entries on {@code scheduler} until it stops. */
    public void start(ScheduledExecutorService scheduler) {
        long every = RENEW_EVERY.toMillis();
        scheduler.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<Boolean> opened(String user, ChannelId connection) {
        if (maxConnections <= 0) {
            return CompletableFuture.completedFuture(true);
        }
        String member = nodeId + "/" + connection.asLongText();
        String key = connectionsKey(user);
        counted.put(member, key);
        return count(key, member).handle((added, error) -> {
            if (error != null) {
                log.debug("counting a connection of {} failed (let through): {}", user, error.toString());
                return true;
            }
            return added;
        });
    }

    /** Adds or renews the entry (by Redis's clock, which every node shares); false when that is one too many. */
    private CompletableFuture<Boolean> count(String key, String member) {
        return connectionScript
                .run(
                        new String[] {key},
                        member.getBytes(UTF_8),
                        Long.toString(ENTRY_LIFE.toMillis()).getBytes(UTF_8),
                        Integer.toString(maxConnections).getBytes(UTF_8))
                .thenApply(reply -> ((Long) reply.get(0)) == 1L);
    }

    @Override
    public void closed(String user, ChannelId connection) {
        String member = nodeId + "/" + connection.asLongText();
        String key = counted.remove(member);
        if (key != null) {
            issuer.issue(() -> redis.zrem(key, member.getBytes(UTF_8)));
        }
    }

    @Override
    public CompletionStage<Long> tryPublish(String user) {
        if (publishRate <= 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return publishScript
                .run(
                        new String[] {"push:user:{" + user + "}:publishes"},
                        Integer.toString(publishRate).getBytes(UTF_8))
                .handle((reply, error) -> {
                    if (error != null) {
                        log.debug("counting a publish of {} failed (let through): {}", user, error.toString());
                        return 0L;
                    }
                    return (Long) reply.get(0);
                });
    }

    @Override
    public boolean countsPublishes() {
        return publishRate > 0;
    }

    private static String connectionsKey(String user) {
        return "push:user:{" + user + "}:connections";
    }

    /** Pushes every counted connection's expiry out again. */
    private void renew() {
        counted.forEach((member, key) -> count(key, member));
    }
}
