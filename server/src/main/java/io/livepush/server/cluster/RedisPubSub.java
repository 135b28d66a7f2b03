package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Pub/Sub: subscriptions on one connection, publishes on the command connection, in the node's
 * {@link PubSubMode}. Classic on one Redis; sharded on a Cluster, where each channel is subscribed on the
 * primary that owns its slot (Lettuce keeps one Pub/Sub connection per node).
 *
 * <p>Whatever the mode, a listener hears {@link Listener#subscribed} each time a channel is subscribed again:
 * after a reconnect, and on a Cluster after the channel's slot moved. On one Redis Lettuce subscribes again by
 * itself. On a Cluster this class does, for every channel still wanted, one command per channel, on the
 * channel's primary of the moment, retrying until it takes: when the old owner ends the subscription
 * ({@code sunsubscribe} from the server: Lettuce does not follow it), when the slot table changed (a failed
 * primary says nothing), and when a connection came back (see {@link #resubscribeAllSoon}).
 */
public final class RedisPubSub {
    private static final Logger log = LoggerFactory.getLogger(RedisPubSub.class);
    private static final Duration RESUBSCRIBE_RETRY = Duration.ofSeconds(1);
    /** Events that call for subscribing again come in bursts (one per node connection): one pass after them. */
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofMillis(200);

    private final StatefulRedisPubSubConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final CommandIssuer issuer;
    private final PubSubMode mode;
    /** The channels subscribed and not unsubscribed by this node: what a lost subscription is taken again for. */
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean resubscribeScheduled = new AtomicBoolean();

    /** What arrives on subscribed channels; callbacks run on Lettuce's event loop and must not block. */
    public interface Listener {
        void message(String channel, byte[] message);

        /** {@code channel} is subscribed (again): what was published meanwhile may have been missed. */
        default void subscribed(String channel) {}
    }

    RedisPubSub(
            StatefulRedisPubSubConnection<String, byte[]> connection,
            RedisClusterAsyncCommands<String, byte[]> commands,
            CommandIssuer issuer,
            PubSubMode mode) {
        this.connection = requireNonNull(connection, "connection");
        this.commands = requireNonNull(commands, "commands");
        this.issuer = requireNonNull(issuer, "issuer");
        this.mode = requireNonNull(mode, "mode");
        if (mode == PubSubMode.SHARDED) {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void sunsubscribed(String channel, long count) {
                    if (wanted.contains(channel)) {
                        log.debug("{} lost its subscription (its slot moved): subscribing again", channel);
                        resubscribe(channel);
                    }
                }
            });
        }
    }

    PubSubMode mode() {
        return mode;
    }

    public void addListener(Listener listener) {
        requireNonNull(listener, "listener");
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                listener.message(channel, message);
            }

            @Override
            public void smessage(String channel, byte[] message) {
                listener.message(channel, message);
            }

            @Override
            public void subscribed(String channel, long count) {
                listener.subscribed(channel);
            }

            @Override
            public void ssubscribed(String channel, long count) {
                listener.subscribed(channel);
            }
        });
    }

    /**
     * Subscribes to each channel (one command each when sharded: channels of different slots may not share one).
     * A channel whose subscription failed is not wanted: the caller hears it, and subscribes again if it will.
     */
    public CompletableFuture<Void> subscribe(String... channels) {
        List<CompletableFuture<Void>> done = new ArrayList<>(channels.length);
        for (String channel : channels) {
            wanted.add(channel);
            done.add(issueSubscribe(channel).whenComplete((ok, error) -> {
                if (error != null) {
                    wanted.remove(channel);
                }
            }));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    public CompletableFuture<Void> unsubscribe(String channel) {
        wanted.remove(channel);
        return issuer.issue(() -> mode == PubSubMode.SHARDED
                ? connection.async().sunsubscribe(channel)
                : connection.async().unsubscribe(channel));
    }

    /**
     * Publishes on the command connection. The count is exact in both modes: a sharded channel's subscribers all
     * hang on its slot's primary, where classic {@code PUBLISH} on a Cluster counts only one node's subscribers.
     */
    public CompletableFuture<Long> publish(String channel, byte[] message) {
        return issuer.issue(() ->
                mode == PubSubMode.SHARDED ? commands.spublish(channel, message) : commands.publish(channel, message));
    }

    private CompletableFuture<Void> issueSubscribe(String channel) {
        return issuer.issue(() -> mode == PubSubMode.SHARDED
                ? connection.async().ssubscribe(channel)
                : connection.async().subscribe(channel));
    }

    /**
     * Subscribes to every channel still wanted again, once for a burst of calls: after a Cluster's slots moved,
     * or one of its connections came back (Lettuce's own resubscription of a node's shard channels is one
     * {@code SSUBSCRIBE} of them all, which Redis refuses when they span slots). Where nothing moved, Redis
     * only confirms the subscription.
     */
    void resubscribeAllSoon() {
        if (resubscribeScheduled.compareAndSet(false, true)) {
            issuer.schedule(
                    () -> {
                        resubscribeScheduled.set(false);
                        wanted.forEach(this::resubscribe);
                    },
                    RESUBSCRIBE_DELAY);
        }
    }

    void close() {
        connection.close();
    }

    private void resubscribe(String channel) {
        issueSubscribe(channel).whenComplete((ok, error) -> {
            if (error != null && wanted.contains(channel)) {
                log.warn(
                        "subscribing to {} again failed, retrying in {}: {}",
                        channel,
                        RESUBSCRIBE_RETRY,
                        error.toString());
                issuer.schedule(() -> resubscribe(channel), RESUBSCRIBE_RETRY);
            }
        });
    }
}
