package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.livepush.proto.v1.DataChanged;
import io.livepush.server.session.SessionRegistry;
import io.livepush.server.session.UserConnections;
import io.livepush.server.store.RestrictionStore;
import io.livepush.server.store.UserRestriction;
import io.livepush.server.sync.ChangeNotice;
import io.livepush.server.sync.DataChangedPushes;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin API does to a user, on every node of a cluster: restrictions (bans, token revocations)
 * are kept in one Redis hash and announced on the control channel, so every node's copy takes them; a
 * disconnect is announced there too, each node closes the user's connections it holds and answers the
 * asking node with how many, and the asking node adds them up (waiting at most {@link #REPLY_TIMEOUT} for
 * the nodes the announcement reached). A data-sync change reaches the user's connections on every node the
 * same way ({@link DataChangedPushes}); the connection that made it is not told.
 *
 * <pre>
 * push:restrictions        hash: user = "&lt;banned until ms&gt;:&lt;revoked before s&gt;"
 * push:control             Pub/Sub: 'r' user, banned until, revoked before: a restriction;
 *                          'd' user, reason, reconnect after, asking node, request id: a disconnect;
 *                          's' user, origin session id, then DataChanged bytes to the end: a data-sync change
 *                          (published by {@link RedisSpaces}' commit script, in version order)
 * push:control:&lt;node id&gt;   Pub/Sub: request id, connections closed: a node's answer to that node
 * </pre>
 *
 * <p>Both go through {@link RedisPubSub}: sharded on a Redis Cluster, where {@code SPUBLISH} counts the nodes
 * a disconnect reached exactly ({@code PUBLISH} there counts only the subscribers of the node it ran on).
 *
 * <p>Events are {@link DataOutput} fields (strings as modified UTF-8): parsing them takes no lock on
 * Lettuce's event loop, where they arrive.
 *
 * <pre>
 * </pre>
 */
public final class ClusterControl implements RestrictionStore, UserConnections {
    static final String RESTRICTIONS = "push:restrictions";
    static final String CONTROL = "push:control";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);
    /** Disconnects awaiting answers at once; past this a disconnect answers with this node's count alone. */
    private static final int MAX_PENDING = 1_000;

    private static final Logger log = LoggerFactory.getLogger(ClusterControl.class);

    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final RedisPubSub pubSub;
    private final SessionRegistry sessions;
    private final DataChangedPushes dataChanges;
    private final CommandIssuer issuer;
    private final String nodeId;
    private final String replies;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, UserRestriction> restricted = (user, r) -> {};

    private record Pending(AtomicInteger awaited, AtomicInteger closed, CompletableFuture<Integer> done) {}

    public ClusterControl(
            RedisClusterAsyncCommands<String, byte[]> redis,
            RedisPubSub pubSub,
            SessionRegistry sessions,
            CommandIssuer issuer,
            String nodeId) {
        this.issuer = requireNonNull(issuer, "issuer");
        this.redis = requireNonNull(redis, "redis");
        this.pubSub = requireNonNull(pubSub, "pubSub");
        this.sessions = requireNonNull(sessions, "sessions");
        this.dataChanges = new DataChangedPushes(sessions);
        this.nodeId = requireNonNull(nodeId, "nodeId");
        this.replies = CONTROL + ":" + nodeId;
    }

    /**
     * Starts listening (blocking until subscribed: call it at start, off the event loops); restrictions
     * changed by any node go to {@code restricted}.
     */
    public void start(BiConsumer<String, UserRestriction> restricted) {
        this.restricted = requireNonNull(restricted, "restricted");
        pubSub.addListener((channel, message) -> {
            if (channel.equals(CONTROL)) {
                onControl(message);
            } else if (channel.equals(replies)) {
                onReply(message);
            }
        });
        await(pubSub.subscribe(CONTROL, replies), "subscribing to " + CONTROL);
    }

    @Override
    public Map<String, UserRestriction> load(long nowMs) {
        Map<String, byte[]> stored =
                await(redis.hgetall(RESTRICTIONS).toCompletableFuture(), "reading " + RESTRICTIONS);
        Map<String, UserRestriction> live = new HashMap<>();
        List<String> expired = new ArrayList<>();
        stored.forEach((user, value) -> {
            UserRestriction r = decode(value);
            if (r.mattersAfter(nowMs)) {
                live.put(user, r);
            } else {
                expired.add(user);
            }
        });
        if (!expired.isEmpty()) { // bans that ended: each start clears them, as the embedded store's does
            issuer.issue(() -> redis.hdel(RESTRICTIONS, expired.toArray(new String[0])));
        }
        return live;
    }

    @Override
    public CompletableFuture<Void> put(String user, UserRestriction r) {
        CompletableFuture<?> stored = r.equals(UserRestriction.NONE)
                ? issuer.issue(() -> redis.hdel(RESTRICTIONS, user))
                : issuer.issue(() -> redis.hset(RESTRICTIONS, user, encode(r)));
        byte[] event = PubSubEvent.bytes(out -> {
            out.writeByte('r');
            out.writeUTF(user);
            out.writeLong(r.bannedUntilMs());
            out.writeLong(r.revokedBeforeS());
        });
        return stored.thenCompose(ignored -> pubSub.publish(CONTROL, event)).thenApply(receivers -> null);
    }

    @Override
    public CompletableFuture<Integer> disconnect(String userId, String reason, long reconnectAfterMs) {
        int here = sessions.disconnectHere(userId, reason, reconnectAfterMs);
        if (pending.size() >= MAX_PENDING) {
            return CompletableFuture.completedFuture(here);
        }
        long id = requestIds.incrementAndGet();
        Pending p = new Pending(new AtomicInteger(), new AtomicInteger(here), new CompletableFuture<>());
        pending.put(id, p);
        byte[] event = PubSubEvent.bytes(out -> {
            out.writeByte('d');
            out.writeUTF(userId);
            out.writeUTF(reason);
            out.writeLong(reconnectAfterMs);
            out.writeUTF(nodeId);
            out.writeLong(id);
        });
        pubSub.publish(CONTROL, event).whenComplete((receivers, error) -> {
            // Every node that got it answers, this one aside (it ignores its own).
            int others = error != null ? 0 : (int) (receivers - 1);
            if (p.awaited().addAndGet(others) == 0) {
                finish(id);
            }
        });
        p.done().completeOnTimeout(p.closed().get(), REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return p.done()
                .whenComplete((n, e) -> pending.remove(id))
                .thenApply(n -> p.closed().get());
    }

    private void onControl(byte[] message) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
            int type = in.readByte();
            String user = in.readUTF();
            if (type == 'r') {
                restricted.accept(user, new UserRestriction(in.readLong(), in.readLong()));
            } else if (type == 'd') {
                String reason = in.readUTF();
                long reconnectAfterMs = in.readLong();
                String origin = in.readUTF();
                long id = in.readLong();
                if (!origin.equals(nodeId)) {
                    int closed = sessions.disconnectHere(user, reason, reconnectAfterMs);
                    byte[] reply = PubSubEvent.bytes(out -> {
                        out.writeLong(id);
                        out.writeInt(closed);
                    });
                    pubSub.publish(CONTROL + ":" + origin, reply);
                }
            } else if (type == 's') {
                String origin = in.readUTF();
                dataChanges.deliver(new ChangeNotice(user, origin, DataChanged.parseFrom(in)));
            } else {
                log.warn("{} carried an event of unknown type {}", CONTROL, type);
            }
        } catch (IOException e) {
            log.warn("{} carried something that does not parse: {}", CONTROL, e.toString());
        }
    }

    /** The control event that carries {@code notice} to every node ({@link RedisSpaces} publishes it). */
    static byte[] dataChangedEvent(ChangeNotice notice) {
        return PubSubEvent.bytes(out -> {
            out.writeByte('s');
            out.writeUTF(notice.user());
            out.writeUTF(notice.originSessionId());
            notice.changed().writeTo(out);
        });
    }

    private void onReply(byte[] message) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
            long id = in.readLong();
            int closed = in.readInt();
            Pending p = pending.get(id);
            if (p != null) {
                p.closed().addAndGet(closed);
                if (p.awaited().decrementAndGet() == 0) {
                    finish(id);
                }
            }
        } catch (IOException e) {
            log.warn("{} carried something that does not parse: {}", replies, e.toString());
        }
    }

    private void finish(long id) {
        Pending p = pending.get(id);
        if (p != null) {
            p.done().complete(p.closed().get());
        }
    }

    private static byte[] encode(UserRestriction r) {
        return (r.bannedUntilMs() + ":" + r.revokedBeforeS()).getBytes(UTF_8);
    }

    private static UserRestriction decode(byte[] value) {
        String[] parts = new String(value, UTF_8).split(":", -1);
        return new UserRestriction(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }
}
