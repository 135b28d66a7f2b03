package io.livepush.server.cluster;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.livepush.server.metrics.PushMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's connections to the Redis of a cluster: one for commands (publishes, reads; Lettuce pipelines every
 * caller's commands on it) and one for the live feed's Pub/Sub. Both reconnect by themselves. A PING every
 * second measures the round trip and tells whether Redis is reachable: readiness follows it.
 */
public final class RedisConnections implements AutoCloseable {
    /** Commands queued while Redis is slow; past this a call fails at once instead of growing the heap. */
    private static final int REQUEST_QUEUE_SIZE = 100_000;

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);
    private static final long PING_PERIOD_MS = 1_000;
    /** Redis counts as unreachable once no PING answered for this long. */
    private static final long UNREACHABLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisPubSubConnection<String, byte[]> pubSub;
    private final PushMetrics metrics;
    private final CommandIssuer issuer = new CommandIssuer();
    private volatile long lastPongNanos = System.nanoTime();

    private RedisConnections(
            ClientResources resources,
            RedisClient client,
            StatefulRedisConnection<String, byte[]> commands,
            StatefulRedisPubSubConnection<String, byte[]> pubSub,
            PushMetrics metrics) {
        this.resources = resources;
        this.client = client;
        this.commands = commands;
        this.pubSub = pubSub;
        this.metrics = metrics;
    }

    /**
     * Connects to {@code url} (blocking: call it at start, off the event loops).
     *
     * @param tlsCa PEM certificates a {@code rediss://} Redis's certificate must chain to; null: the JDK's
     * @throws io.lettuce.core.RedisException when Redis cannot be reached
     */
    public static RedisConnections open(String url, Path tlsCa, PushMetrics metrics) {
        requireNonNull(metrics, "metrics");
        RedisURI uri = parse(url);
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Quick to find Redis again after a failover: the default backoff grows to 30 s between tries.
                .reconnectDelay(Delay.exponential(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        if (tlsCa != null) {
            // Read here, once: given the file, Lettuce would read it on its event loop at every (re)connect.
            options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(trusting(tlsCa))
                    .build());
        }
        client.setOptions(options.autoReconnect(true)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                // While Redis is away a call fails at once: a publisher hears it and retries, nothing piles up.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        try {
            StatefulRedisConnection<String, byte[]> commands = client.connect(codec, uri);
            StatefulRedisPubSubConnection<String, byte[]> pubSub = client.connectPubSub(codec, uri);
            RedisConnections connections = new RedisConnections(resources, client, commands, pubSub, metrics);
            connections.startPinging();
            return connections;
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
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
     * {@code redis://[:password@]host:port[/db]}, {@code rediss://…} (TLS), or
     * {@code redis-sentinel://[:password@]host:port,host:port/master-name}.
     */
    static RedisURI parse(String url) {
        requireNonNull(url, "url");
        if (!url.startsWith("redis-sentinel://")) {
            return RedisURI.create(url);
        }
        URI whole = URI.create(url.replaceFirst(",.*?/", "/")); // the first sentinel, for the parts URI parses
        String master = whole.getPath() == null ? "" : whole.getPath().replaceFirst("^/", "");
        if (master.isEmpty()) {
            throw new IllegalArgumentException("redis-sentinel URL without a master name: " + url);
        }
        String hosts = url.substring("redis-sentinel://".length(), url.indexOf('/', "redis-sentinel://".length()));
        String password = null;
        int at = hosts.lastIndexOf('@');
        if (at >= 0) {
            password = hosts.substring(0, at).replaceFirst("^[^:]*:", "");
            hosts = hosts.substring(at + 1);
        }
        RedisURI.Builder builder = null;
        for (String hostPort : hosts.split(",", -1)) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 26379 : Integer.parseInt(hostPort.substring(colon + 1));
            builder =
                    builder == null ? RedisURI.Builder.sentinel(host, port, master) : builder.withSentinel(host, port);
        }
        if (password != null) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /** {@code url} without its password, for logs. */
    public static String describe(String url) {
        return url.replaceFirst("//[^@/]*@", "//***@");
    }

    /** Where every Redis command of the node is issued from (see {@link CommandIssuer}). */
    public CommandIssuer issuer() {
        return issuer;
    }

    public StatefulRedisConnection<String, byte[]> commands() {
        return commands;
    }

    public StatefulRedisPubSubConnection<String, byte[]> pubSub() {
        return pubSub;
    }

    /** Whether Redis answered a PING within the last few seconds. */
    public boolean reachable() {
        return System.nanoTime() - lastPongNanos < UNREACHABLE_AFTER_NANOS && commands.isOpen();
    }

    private void startPinging() {
        resources
                .eventExecutorGroup()
                .scheduleAtFixedRate(this::ping, PING_PERIOD_MS, PING_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void ping() {
        long sent = System.nanoTime();
        issuer.issue(() -> commands.async().ping()).whenComplete((pong, error) -> {
            if (error == null) {
                long now = System.nanoTime();
                lastPongNanos = now;
                metrics.redisRoundTrip(now - sent);
            }
        });
    }

    @Override
    public void close() {
        issuer.close();
        pubSub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
