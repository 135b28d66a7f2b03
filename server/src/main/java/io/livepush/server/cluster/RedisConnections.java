package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.livepush.server.metrics.PushMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.Disposable;

/**
 * A node's connections to the Redis of a cluster: one for commands (publishes, reads; Lettuce pipelines every
 * caller's commands on it) and one for the live feed's Pub/Sub ({@link RedisPubSub}). Both reconnect by
 * themselves. A PING every second measures the round trip and tells whether Redis is reachable: readiness
 * follows it.
 *
 * <p>On a Redis Cluster (a list of seeds) Lettuce's cluster client routes each command to the primary of its
 * key's slot and keeps one connection per node under each of the two; the channels' Pub/Sub is sharded, and
 * Redis counts as reachable while every primary answers.
 */
public final class RedisConnections implements AutoCloseable {
    /** Commands queued while Redis is slow; past this a call fails at once instead of growing the heap. */
    private static final int REQUEST_QUEUE_SIZE = 100_000;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
    /** A Cluster's slot table is read again this often, and at once on MOVED, ASK and reconnects. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

    private static final long PING_PERIOD_MS = 1_000;
    /** Redis counts as unreachable once no PING answered for this long. */
    private static final long UNREACHABLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final RedisPubSub pubSub;
    private final Function<String, CompletionStage<RedisClusterAsyncCommands<String, byte[]>>> primaryFor;
    private final Supplier<CompletionStage<Void>> ping;
    private final PushMetrics metrics;
    private final CommandIssuer issuer;
    private volatile Disposable topologyEvents;
    private volatile long lastPongNanos = System.nanoTime();

    private RedisConnections(
            ClientResources resources,
            AbstractRedisClient client,
            StatefulConnection<String, byte[]> connection,
            RedisClusterAsyncCommands<String, byte[]> commands,
            RedisPubSub pubSub,
            Function<String, CompletionStage<RedisClusterAsyncCommands<String, byte[]>>> primaryFor,
            Supplier<CompletionStage<Void>> ping,
            CommandIssuer issuer,
            PushMetrics metrics) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.pubSub = pubSub;
        this.primaryFor = primaryFor;
        this.ping = ping;
        this.issuer = issuer;
        this.metrics = metrics;
    }

    /**
     * Connects to {@code url} (blocking: call it at start, off the event loops).
     *
     * @param tlsCa PEM certificates a {@code rediss://} Redis's certificate must chain to; null: the JDK's
     * @throws io.lettuce.core.RedisException when Redis cannot be reached
     * @throws IllegalArgumentException when {@code url} is none of the forms {@link RedisUrl#parse} takes
     */
    public static RedisConnections open(String url, Path tlsCa, PushMetrics metrics) {
        requireNonNull(metrics, "metrics");
        List<RedisURI> uris = RedisUrl.parse(url);
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Quick to find Redis again after a failover: the default backoff grows to 30 s between tries.
                .reconnectDelay(Delay.exponential(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        // Read here, once: given the file, Lettuce would read it on its event loop at every (re)connect.
        SslOptions tls = tlsCa == null
                ? SslOptions.create()
                : SslOptions.builder()
                        .jdkSslProvider()
                        .trustManager(trusting(tlsCa))
                        .build();
        CommandIssuer issuer = new CommandIssuer();
        try {
            RedisConnections connections = uris.size() == 1
                    ? single(resources, uris.get(0), tls, issuer, metrics)
                    : cluster(resources, uris, tls, issuer, metrics);
            connections.startPinging();
            return connections;
        } catch (RuntimeException e) {
            issuer.close();
            resources.shutdown();
            throw e;
        }
    }

    private static RedisConnections single(
            ClientResources resources, RedisURI uri, SslOptions tls, CommandIssuer issuer, PushMetrics metrics) {
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .sslOptions(tls)
                .autoReconnect(true)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                // While Redis is away a call fails at once: a publisher hears it and retries, nothing piles up.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        try {
            StatefulRedisConnection<String, byte[]> commands = client.connect(CODEC, uri);
            StatefulRedisPubSubConnection<String, byte[]> pubSub = client.connectPubSub(CODEC, uri);
            return new RedisConnections(
                    resources,
                    client,
                    commands,
                    commands.async(),
                    new RedisPubSub(pubSub, commands.async(), issuer, PubSubMode.CLASSIC),
                    key -> CompletableFuture.completedFuture(commands.async()),
                    () -> commands.async().ping().thenAccept(pong -> {}),
                    issuer,
                    metrics);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    private static RedisConnections cluster(
            ClientResources resources,
            List<RedisURI> seeds,
            SslOptions tls,
            CommandIssuer issuer,
            PushMetrics metrics) {
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .sslOptions(tls)
                .autoReconnect(true)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        try {
            StatefulRedisClusterConnection<String, byte[]> commands = client.connect(CODEC);
            StatefulRedisClusterPubSubConnection<String, byte[]> pubSubConnection = client.connectPubSub(CODEC);
            awaitConnected(connectToPrimaries(commands, pubSubConnection));
            RedisPubSub pubSub = new RedisPubSub(pubSubConnection, commands.async(), issuer, PubSubMode.SHARDED);
            RedisConnections connections = new RedisConnections(
                    resources,
                    client,
                    commands,
                    commands.async(),
                    pubSub,
                    key -> primaryConnection(commands, key),
                    () -> commands.async().upstream().commands().ping().thenAccept(pongs -> {}),
                    issuer,
                    metrics);
            // Slots moved (failover, resharding) or a node's connection came back: each channel is subscribed
            // again where it lives now, on a connection made ahead of the command.
            connections.topologyEvents = resources
                    .eventBus()
                    .get()
                    .filter(e -> e instanceof ClusterTopologyChangedEvent || e instanceof ConnectionActivatedEvent)
                    .subscribe(event -> issuer.issue(() -> connectToPrimaries(commands, pubSubConnection))
                            .whenComplete((connected, error) -> pubSub.resubscribeAllSoon()));
            return connections;
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Trusts exactly the PEM certificates in {@code file}. */
    private static TrustManagerFactory trusting(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no PEM certificate in " + file + " (--redis-tls-ca)");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            return trust;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read " + file + " (--redis-tls-ca): " + e.getMessage(), e);
        }
    }

    /**
     * Connects both connections to every primary ahead of their first command: with {@code REJECT_COMMANDS}
     * Lettuce fails a command routed to a node whose connection is still being made.
     */
    private static CompletableFuture<Void> connectToPrimaries(
            StatefulRedisClusterConnection<String, byte[]> commands,
            StatefulRedisClusterPubSubConnection<String, byte[]> pubSub) {
        List<CompletableFuture<?>> connected = new ArrayList<>();
        for (RedisClusterNode node : commands.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                RedisURI uri = node.getUri();
                connected.add(commands.getConnectionAsync(uri.getHost(), uri.getPort()));
                connected.add(pubSub.getConnectionAsync(uri.getHost(), uri.getPort()));
            }
        }
        return CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new));
    }

    private static void awaitConnected(CompletableFuture<Void> connected) {
        try {
            connected.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RedisException("cannot connect to every Redis Cluster primary: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new RedisException("cannot connect to every Redis Cluster primary within " + COMMAND_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while connecting to Redis Cluster primaries", e);
        }
    }

    /**
     * The connection to the primary that serves {@code key}'s slot now, by the client's slot table: the one
     * Lettuce routes that slot's commands to (its pool is keyed by host and port).
     */
    private static CompletionStage<RedisClusterAsyncCommands<String, byte[]>> primaryConnection(
            StatefulRedisClusterConnection<String, byte[]> cluster, String key) {
        RedisClusterNode owner = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        if (owner == null) {
            return CompletableFuture.failedFuture(
                    new RedisException("no Redis Cluster node serves the slot of " + key));
        }
        return cluster.getConnectionAsync(
                        owner.getUri().getHost(), owner.getUri().getPort())
                .<RedisClusterAsyncCommands<String, byte[]>>thenApply(StatefulRedisConnection::async);
    }

    /** {@code url} without its passwords (each seed's), for logs. */
    public static String describe(String url) {
        return RedisUrl.describe(url);
    }

    /** Where every Redis command of the node is issued from (see {@link CommandIssuer}). */
    public CommandIssuer issuer() {
        return issuer;
    }

    /**
     * The node's commands: on a Cluster each goes to the primary of its key's slot (a script's keys must share a
     * slot), a command without a key to one node.
     */
    public RedisClusterAsyncCommands<String, byte[]> async() {
        return commands;
    }

    public RedisPubSub pubSub() {
        return pubSub;
    }

    /** How the channels' scripts publish: {@code PUBLISH} on one Redis, {@code SPUBLISH} on a Cluster. */
    PubSubMode pubSubMode() {
        return pubSub.mode();
    }

    /**
     * The commands of the one connection to the primary that holds {@code key} now (on one Redis, the command
     * connection). A {@code WAIT} after a write on it covers that write: on a Cluster, where a {@code WAIT} sent
     * through the routing connection would land on some other node, the write must go there too.
     */
    CompletionStage<RedisClusterAsyncCommands<String, byte[]>> primaryFor(String key) {
        return primaryFor.apply(key);
    }

    /** Whether Redis (every primary of a Cluster) answered a PING within the last few seconds. */
    public boolean reachable() {
        return System.nanoTime() - lastPongNanos < UNREACHABLE_AFTER_NANOS && connection.isOpen();
    }

    private void startPinging() {
        resources
                .eventExecutorGroup()
                .scheduleAtFixedRate(this::ping, PING_PERIOD_MS, PING_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void ping() {
        long sent = System.nanoTime();
        issuer.issue(ping).whenComplete((pong, error) -> {
            if (error == null) {
                long now = System.nanoTime();
                lastPongNanos = now;
                metrics.redisRoundTrip(now - sent);
            }
        });
    }

    @Override
    public void close() {
        Disposable events = topologyEvents;
        if (events != null) {
            events.dispose();
        }
        issuer.close();
        pubSub.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
