package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.admin.AdminServer;
import io.livepush.server.admin.RegistryAdminBackend;
import io.livepush.server.admin.TokenMinter;
import io.livepush.server.applet.AppletService;
import io.livepush.server.applet.Applets;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import io.livepush.server.auth.TokenVerifier;
import io.livepush.server.channel.ChannelEngine;
import io.livepush.server.channel.ChannelRegistry;
import io.livepush.server.channel.HomeExecutors;
import io.livepush.server.channel.RegistrySettings;
import io.livepush.server.channel.SharedLogChannels;
import io.livepush.server.cluster.ClusterControl;
import io.livepush.server.cluster.RedisApplets;
import io.livepush.server.cluster.RedisChannelLog;
import io.livepush.server.cluster.RedisConnections;
import io.livepush.server.cluster.RedisLogLimits;
import io.livepush.server.cluster.RedisPresence;
import io.livepush.server.cluster.RedisSharedLog;
import io.livepush.server.cluster.RedisSpaces;
import io.livepush.server.cluster.RedisUserLimits;
import io.livepush.server.config.BuildInfo;
import io.livepush.server.config.LiveNamespaces;
import io.livepush.server.config.Namespace;
import io.livepush.server.config.Secrets;
import io.livepush.server.config.SecretsPolicy;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.handler.FrameDispatcher;
import io.livepush.server.handler.Handlers;
import io.livepush.server.metrics.ClientTransport;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.proxy.ProxyHooks;
import io.livepush.server.session.ConnectionDeadlines;
import io.livepush.server.session.Replies;
import io.livepush.server.session.SessionRegistry;
import io.livepush.server.session.SharedUserLimits;
import io.livepush.server.session.UserAccess;
import io.livepush.server.session.UserConnections;
import io.livepush.server.store.AppletStore;
import io.livepush.server.store.ChannelRetention;
import io.livepush.server.store.ChronicleAppletStore;
import io.livepush.server.store.ChronicleMessageLog;
import io.livepush.server.store.ChronicleSpaceStore;
import io.livepush.server.store.ChronicleUserRestrictions;
import io.livepush.server.store.MessageLog;
import io.livepush.server.store.StoreConfig;
import io.livepush.server.sync.DataChangedPushes;
import io.livepush.server.sync.DataSyncService;
import io.livepush.server.sync.EmbeddedSpaces;
import io.livepush.server.sync.Spaces;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server: store, channel registry, TCP client port, WebSocket/web port and admin port. {@link #start} returns
 * once all ports listen; {@link #close} sends every client a GoAway, stops accepting, drains the
 * homes and closes the store, so a clean stop loses nothing that was acknowledged.
 */
public final class PushServer implements AutoCloseable {
    static final Duration MAX_TOKEN_TTL = Duration.ofDays(30);
    private static final int IDEMPOTENCY_KEYS_PER_CHANNEL = 10_000;
    private static final int HISTORY_MAX_BYTES = 1 << 20;
    /** Enough for a room's members to resume after a short outage without touching the store. */
    private static final int RECENT_FRAMES_PER_CHANNEL = 1024;

    private static final long RECENT_FRAMES_MAX_BYTES = 64L << 20;
    /**
     * Payload bytes one channel may have queued for its home (128 frames of the default largest size):
     * a pipelining publisher outruns the home for a while, and only a sustained overload is refused.
     */
    private static final long MAILBOX_MAX_BYTES = 8L << 20;
    /**
     * Channel states kept for their idle time: about 400 bytes of heap each (200 MB here). Past it,
     * states that no member, queued write or idempotency key needs go at the next sweep (every 5 s).
     */
    private static final long CHANNEL_STATES_SOFT_MAX = 500_000;
    /** Queued publishes of one channel stored with one commit (the store's batch append). */
    private static final int PUBLISH_BATCH = 64;
    /** Content bytes after which a data-sync answer stops adding items the client did not ask about. */
    private static final int DATA_SYNC_DOWNLOAD_MAX_BYTES = 1 << 20;

    /** How long a cluster node keeps its clients while it cannot reach Redis (a failover takes a few seconds). */
    private static final Duration REDIS_OUTAGE_GRACE = Duration.ofSeconds(15);

    /** How long a publish waits for --redis-ack-replicas replicas before it fails. */
    private static final Duration REDIS_ACK_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(PushServer.class);
    /**
     * Adaptive, not fixed: a fixed 2 KiB size saves 40 B a connection but cost the closed loop about a
     * fifth more server CPU per delivery (docs/benchmarks.md, "lighter idle connections").
     */
    private static final RecvByteBufAllocator RECEIVE_BUFFER_SIZER = new AdaptiveRecvByteBufAllocator();

    private final ServerConfig config;
    /** The config's namespaces, replaced by a reload (SIGHUP). */
    private final LiveNamespaces namespaces;

    private final Secrets secrets;
    private final TokenIssuer issuer;
    private final PushMetrics metrics = new PushMetrics();
    private final MessageLog store;
    private final AppletStore applets;
    private final ChronicleSpaceStore spaces;
    private final ChronicleUserRestrictions restrictions;
    private final HomeExecutors homes;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    /** The admin port's own thread: a scrape (which reads the store) or a slow backend call never delays clients. */
    private final EventLoopGroup adminGroup;

    private SocketBudget adminSockets;
    /** Also the list of every client connection, for shutdown and a Redis outage. */
    private ConnectionDeadlines deadlines;

    private final Transport transport;
    /** Null without --tls-cert/--tls-key. */
    private final ServerTls tls;

    private ChannelInitializer<Channel> tcpInitializer;
    private ChannelInitializer<Channel> wsInitializer;
    private ChannelEngine registry;
    /** Null with the embedded engine. */
    private final RedisConnections redis;
    /** Null with the embedded engine. */
    private RedisPresence presence;

    private AdminServer admin;
    /** The business backend's hooks; off (no threads) unless a --proxy-*-url is set. */
    private ProxyHooks proxies;

    private final ShutdownSummary summary;
    /** Set once every port listens: only a server that started logs a summary when it stops. */
    private volatile boolean started;

    private volatile boolean ready;
    private Channel tcpChannel;
    private Channel wsChannel;
    private Channel adminChannel;

    private PushServer(ServerConfig config, Secrets secrets, ServerTls tls, Clock clock) {
        this.config = config;
        this.transport = Transport.of(config.ioTransport()); // before anything is opened: nothing to close
        this.namespaces = new LiveNamespaces(config.namespaces());
        this.secrets = secrets;
        this.tls = tls;
        this.summary = new ShutdownSummary(clock);
        KeyRing keys = KeyRing.of(config.tokenKeyId(), secrets.tokenSecret(), secrets.tokenKeys());
        this.issuer = new TokenIssuer(keys, clock);
        ChronicleMessageLog messageLog = inDataDir(() -> ChronicleMessageLog.open(
                new StoreConfig(
                        config.dataDir(),
                        config.storeMaxMessages(),
                        config.storeAverageMessageBytes(),
                        config.storeMaxChannels(),
                        config.retentionMaxMessages(),
                        Duration.ofSeconds(config.retentionMaxAgeSeconds()),
                        clock),
                retention()));
        this.store = messageLog;
        this.applets = openOrClose(() -> ChronicleAppletStore.open(messageLog, config.appletMaxEntries()), messageLog);
        this.spaces = openOrClose(
                () -> inDataDir(() ->
                        ChronicleSpaceStore.open(config.dataDir(), config.syncMaxItems(), config.syncMaxSpaces())),
                applets,
                messageLog);
        this.restrictions = openOrClose(() -> ChronicleUserRestrictions.open(messageLog), spaces, applets, messageLog);
        this.redis = config.engine() == ServerConfig.Engine.REDIS
                ? openOrClose(() -> connectRedis(config), restrictions, spaces, applets, messageLog)
                : null;
        this.homes = new HomeExecutors(threads(config.homeThreads()), config.homeQueueCapacity());
        this.bossGroup = transport.newGroup(1, "push-accept");
        this.workerGroup = transport.newGroup(threads(config.ioThreads()), "push-io");
        this.adminGroup = transport.newGroup(1, "push-admin");
        wire(new TokenVerifier(keys, Duration.ofSeconds(config.tokenLeewaySeconds()), clock), clock);
    }

    /** Opens the store and binds the ports; refuses to start without real secrets off loopback. */
    public static PushServer start(ServerConfig config) throws InterruptedException {
        return start(config, Clock.systemUTC());
    }

    public static PushServer start(ServerConfig config, Clock clock) throws InterruptedException {
        requireNonNull(config, "config");
        Secrets secrets = new SecretsPolicy().resolve(config);
        // Before the store opens: bad TLS files end the start with nothing to close.
        ServerTls tls = ServerTls.load(config, TlsContexts.best());
        PushServer server = new PushServer(config, secrets, tls, clock);
        try {
            server.bind();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void wire(TokenVerifier verifier, Clock clock) {
        Replies replies = new Replies(metrics);
        RegistrySettings settings = new RegistrySettings(
                config.replayPageSize(),
                config.historyLimit(),
                HISTORY_MAX_BYTES,
                Duration.ofSeconds(config.idempotencyWindowSeconds()),
                IDEMPOTENCY_KEYS_PER_CHANNEL,
                Duration.ofMillis(config.slowConsumerTimeoutMs()),
                RECENT_FRAMES_PER_CHANNEL,
                RECENT_FRAMES_MAX_BYTES,
                config.homeQueueCapacity(),
                MAILBOX_MAX_BYTES,
                PUBLISH_BATCH,
                Duration.ofSeconds(config.channelIdleSeconds()),
                CHANNEL_STATES_SOFT_MAX,
                shortestRetentionAge(),
                channel -> namespaces.forChannel(channel).presence(),
                channel -> namespaces.forChannel(channel).joinLeaveEvents());
        Applets appletService;
        if (redis == null) {
            ChannelRegistry embedded =
                    new ChannelRegistry(homes, store, applets, metrics, ByteBufAllocator.DEFAULT, clock, settings);
            registry = embedded;
            appletService = new AppletService(embedded, applets, clock);
        } else {
            RedisChannelLog channels = redisLog(clock);
            presence = new RedisPresence(redis.async(), nodeId(config), clock);
            presence.start(redis.issuer().executor());
            metrics.bindClusterNodes(presence::liveNodes);
            registry = new SharedLogChannels(
                    homes,
                    new RedisSharedLog(channels, redis, config.redisAckReplicas(), REDIS_ACK_TIMEOUT, nodeId(config)),
                    presence,
                    metrics,
                    ByteBufAllocator.DEFAULT,
                    clock,
                    settings);
            appletService = new RedisApplets(channels);
        }
        SessionRegistry sessions =
                new SessionRegistry(config.maxConnectionsPerUser(), config.publishRatePerUser(), sharedUserLimits());
        UserAccess access;
        UserConnections connections;
        if (redis == null) {
            access = new UserAccess(restrictions, clock);
            connections = sessions;
        } else {
            ClusterControl control =
                    new ClusterControl(redis.async(), redis.pubSub(), sessions, redis.issuer(), nodeId(config));
            access = new UserAccess(control, clock);
            control.start(access::apply);
            connections = control;
        }
        proxies = new ProxyHooks(
                config.proxy(),
                (hook, channel) -> namespaces.forChannel(channel).proxies(hook),
                metrics,
                replies,
                clock);
        FrameDispatcher dispatcher = Handlers.dispatcher(
                registry,
                appletService,
                verifier,
                sessions,
                access,
                replies,
                metrics,
                BuildInfo.CURRENT.version(),
                config.heartbeatMs(),
                config.maxSubscriptions(),
                config.publishRatePerConnection(),
                new DataSyncService(
                        homes,
                        dataSyncSpaces(sessions),
                        clock,
                        config.dataMaxItemsPerRequest(),
                        DATA_SYNC_DOWNLOAD_MAX_BYTES),
                config.dataMaxItemBytes(),
                config.dataMaxItemsPerRequest(),
                namespaces,
                proxies);
        long fdLimit = FileDescriptors.limit();
        SocketBudget clientSockets =
                new SocketBudget("client", FileDescriptors.clientSockets(fdLimit, config.adminMaxConnections()));
        adminSockets = new SocketBudget("admin", config.adminMaxConnections());
        int maxConnections = FileDescriptors.connectionLimit(config.maxConnections(), clientSockets.capacity());
        log.info(
                "open file limit {}: accepting at most {} client connections ({} sockets with bare ones) and {} admin ones",
                fdLimit,
                maxConnections,
                clientSockets.capacity(),
                adminSockets.capacity());
        for (SocketBudget b : List.of(clientSockets, adminSockets)) {
            metrics.bindSocketBudget(b.name(), b::open, b.capacity(), b::refused);
        }
        // One limit for both transports: they differ only by their framing.
        ConnectionLimitHandler connectionLimit = new ConnectionLimitHandler(
                maxConnections, config.maxConnectionsPerIp(), config.connectRatePerIp(), metrics);
        bossGroup.scheduleAtFixedRate(connectionLimit::forgetIdleRates, 5, 5, TimeUnit.SECONDS);
        // A connected client that sends nothing for two heartbeats is gone.
        deadlines = new ConnectionDeadlines(
                clock,
                config.handshakeTimeoutMs(),
                2L * config.heartbeatMs(),
                config.tokenLeewaySeconds() * 1000L,
                replies);
        if (redis != null) {
            bossGroup.scheduleAtFixedRate(
                    new RedisOutageGuard(redis::reachable, deadlines, REDIS_OUTAGE_GRACE.toMillis(), clock::millis),
                    1,
                    1,
                    TimeUnit.SECONDS);
        }
        WriteBufferWaterMark waterMark =
                new WriteBufferWaterMark(config.writeBufferLowBytes(), config.writeBufferHighBytes());
        // One pipeline for both transports: they differ only by their framing.
        BiFunction<ClientTransport, PushChannelInitializer.Framing, PushChannelInitializer> clientPipeline =
                (transport, framing) -> new PushChannelInitializer(
                        transport,
                        new TrafficCountingHandler(metrics.traffic(transport)),
                        clientSockets,
                        framing,
                        deadlines,
                        waterMark,
                        connectionLimit,
                        dispatcher,
                        tls);
        tcpInitializer = clientPipeline.apply(ClientTransport.TCP, new TcpFraming(config.maxFrameBytes()));
        wsInitializer = clientPipeline.apply(
                ClientTransport.WEBSOCKET,
                new WebSocketFraming(
                        config.maxFrameBytes(),
                        config.handshakeTimeoutMs(),
                        new OriginPolicy(config.allowedOrigins(), config.isLoopbackBind()),
                        new WebPagesHandler(WebSocketFraming.PATH)));
        admin = new AdminServer(
                new RegistryAdminBackend(
                        registry,
                        appletService,
                        sessions,
                        connections,
                        access,
                        () -> ready && (redis == null || redis.reachable())),
                minter(issuer),
                metrics,
                secrets.apiKey(),
                (int) MAX_TOKEN_TTL.toSeconds(),
                config.handshakeTimeoutMs(),
                channel -> namespaces.forChannel(channel).maxMessageBytes());
        metrics.bindHomes(homes.executors(), config.homeQueueCapacity());
        metrics.bindRooms(registry::activeRooms);
        metrics.bindSubscriptions(registry::subscriptions);
        if (redis == null) { // with Redis, the messages, channels and data-sync spaces are Redis's to count
            metrics.bindStore("messages", store::messageCount, store.maxMessages());
            metrics.bindStore("channels", store::channelCount, store.maxChannels());
            metrics.bindStore("sync_items", spaces::itemCount, config.syncMaxItems());
            metrics.bindStore("sync_spaces", spaces::spaceCount, config.syncMaxSpaces());
        }
        metrics.bindChannels(registry::activeChannels, store::channelCount);
        metrics.bindStore("applets", applets::size, config.appletMaxEntries());
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            metrics.bindNetty(provider, workerGroup);
        }
        registry.start();
    }

    private void bind() throws InterruptedException {
        tcpChannel = listen(clientListener(tcpInitializer), config.tcpPort(), "--tcp-port");
        wsChannel = listen(clientListener(wsInitializer), config.wsPort(), "--ws-port");
        adminChannel = listen(
                new ServerBootstrap()
                        .group(adminGroup)
                        .channel(transport.serverChannel())
                        .childHandler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(adminSockets, admin.initializer());
                            }
                        }),
                config.adminPort(),
                "--admin-port");
        ready = true;
        started = true;
        if (tls != null) {
            tls.startWatching();
        }
        log.info(
                "listening tcp={} ws={} admin={} transport={} data={}",
                hostPort(tcpAddress()),
                hostPort(wsAddress()),
                hostPort(adminAddress()),
                transport,
                config.dataDir().toAbsolutePath().normalize());
        if (secrets.isDevelopment()) {
            log.warn(
                    "development secrets (loopback only, kept in {}; delete it for new ones): api key {} | dev token {}",
                    secrets.developmentFile(),
                    secrets.apiKey(),
                    devToken());
        }
    }

    /** Binds {@code port}; a failure names the port and its flag instead of surfacing as a stack trace. */
    private Channel listen(ServerBootstrap bootstrap, int port, String flag) throws InterruptedException {
        ChannelFuture bound = bootstrap.bind(config.bind(), port).await();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            String why = cause instanceof BindException
                            || String.valueOf(cause.getMessage()).contains("in use")
                    ? "the address is already in use"
                    : String.valueOf(cause.getMessage());
            throw new StartupException("cannot listen on " + config.bind() + ":" + port + " (" + flag + "): " + why);
        }
        return bound.channel();
    }

    public InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcpChannel.localAddress();
    }

    /** The web port: WebSocket on {@code /ws}, the share page on {@code /share/{room}}. */
    public InetSocketAddress wsAddress() {
        return (InetSocketAddress) wsChannel.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) adminChannel.localAddress();
    }

    public String apiKey() {
        return secrets.apiKey();
    }

    public TokenIssuer tokenIssuer() {
        return issuer;
    }

    /** A token for user {@code dev} that may do everything everywhere, for trying the server out. */
    public String devToken() {
        return issuer.issue(
                "dev",
                Duration.ofSeconds(config.devTokenTtlSeconds()),
                List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class))));
    }

    /** The channel namespaces in force; a config reload replaces them here. */
    public LiveNamespaces namespaces() {
        return namespaces;
    }

    public PushMetrics metrics() {
        return metrics;
    }

    /** The client connections' event loops, for tests of what may run on them. */
    EventLoopGroup workerGroup() {
        return workerGroup;
    }

    /** The channels' home threads, for tests that must hold one busy. */
    HomeExecutors homes() {
        return homes;
    }

    /** The TCP port's pipeline, for tests that serve it on another transport (the in-VM one of the fuzz tests). */
    ChannelInitializer<Channel> tcpInitializer() {
        return tcpInitializer;
    }

    @Override
    public void close() {
        ready = false;
        if (tls != null) {
            tls.close();
        }
        closeQuietly(tcpChannel);
        closeQuietly(wsChannel);
        closeQuietly(adminChannel);
        ServerFrame goAway = ServerFrame.newBuilder()
                .setGoAway(GoAway.newBuilder().setReason("server shutting down").setReconnectAfterMs(1000))
                .build();
        // A group for these last steps only: while running, no connection pays for a group's entry.
        ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
        if (deadlines != null) {
            // Waited for here, not with completeOnTimeout: its timer's lock would be taken on the event loops.
            try {
                deadlines.forEachOpen(clients::add).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("listing the connections to close: {}", e.toString());
            }
        }
        clients.forEach(CloseReason.SHUTDOWN::markOn);
        clients.writeAndFlush(goAway).awaitUninterruptibly(2, TimeUnit.SECONDS);
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        if (proxies != null) {
            proxies.close(); // after the loops: no call starts any more, and late answers find no loop
        }
        homes.shutdownGracefully().awaitUninterruptibly(); // pending appends finish before the store closes
        // Counts are final once the loops and homes stopped; read now, while every gauge's source is still open.
        String scrape = started ? metrics.scrape() : "";
        registry.close();
        if (redis != null) {
            presence.close(); // its counts go at once instead of when their TTL runs out
            redis.close();
        }
        // The message log last: closing it marks the data directory clean.
        boolean storeClosedCleanly = true;
        for (Closeable c : List.<Closeable>of(restrictions, spaces, applets, store)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                storeClosedCleanly = false;
                log.warn("closing {} failed", c, e);
            }
        }
        if (started) { // a failed start has said why already
            log.info(summary.line(scrape, storeClosedCleanly));
        }
        metrics.close();
    }

    /** Per-user limits counted by every node of the cluster; none beyond this node's own with the embedded engine. */
    private SharedUserLimits sharedUserLimits() {
        if (redis == null) {
            return SharedUserLimits.NONE;
        }
        RedisUserLimits limits = new RedisUserLimits(
                redis.async(),
                redis.issuer(),
                nodeId(config),
                config.maxConnectionsPerUser(),
                config.publishRatePerUser());
        limits.start(redis.issuer().executor());
        return limits;
    }

    /** The cluster's log in Redis, with the same retention and idempotency as the embedded store. */
    /** Each channel's history limits: its namespace's now (a reload applies at its next append or sweep). */
    private ChannelRetention retention() {
        return channel -> {
            Namespace namespace = namespaces.forChannel(channel);
            return new ChannelRetention.Limits(namespace.retentionMaxMessages(), namespace.retentionMaxAge());
        };
    }

    /** Sets the age sweep's pace, so that the namespace with the shortest age is swept often enough. */
    private Duration shortestRetentionAge() {
        Duration shortest = config.namespaces().defaultNamespace().retentionMaxAge();
        for (Namespace namespace : config.namespaces().prefixed()) {
            if (namespace.retentionMaxAge().compareTo(shortest) < 0) {
                shortest = namespace.retentionMaxAge();
            }
        }
        return shortest;
    }

    private RedisChannelLog redisLog(Clock clock) {
        RedisChannelLog channels = new RedisChannelLog(
                redis, new RedisLogLimits(retention(), Duration.ofSeconds(config.idempotencyWindowSeconds())), clock);
        channels.start(); // loads the scripts ahead of the first publish; a miss only costs one EVAL later
        return channels;
    }

    /** The data-sync spaces: this node's Chronicle store, or the cluster's Redis. */
    private Spaces dataSyncSpaces(SessionRegistry sessions) {
        if (redis == null) {
            return new EmbeddedSpaces(spaces, new DataChangedPushes(sessions));
        }
        RedisSpaces shared =
                new RedisSpaces(redis.async(), redis.issuer(), redis.pubSub(), RedisSpaces.MAX_ITEMS_PER_SPACE);
        shared.start(); // loads the scripts ahead of the first sync; a miss only costs one EVAL later
        return shared;
    }

    /** Connects to --redis-url; what the operator must fix there becomes one line naming the flag. */
    private RedisConnections connectRedis(ServerConfig config) {
        if (config.redisTlsCa() != null && !Files.isReadable(config.redisTlsCa())) {
            throw new StartupException("cannot read " + config.redisTlsCa().toAbsolutePath() + " (--redis-tls-ca)");
        }
        try {
            RedisConnections connections = RedisConnections.open(config.redisUrl(), config.redisTlsCa(), metrics);
            log.info("engine redis: node {} on {}", nodeId(config), RedisConnections.describe(config.redisUrl()));
            return connections;
        } catch (RuntimeException e) {
            throw new StartupException("cannot use Redis at " + RedisConnections.describe(config.redisUrl())
                    + " (--redis-url): " + e.getMessage());
        }
    }

    private static String nodeId(ServerConfig config) {
        if (config.nodeId() != null) {
            return config.nodeId();
        }
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "node" : host) + "-" + config.tcpPort();
    }

    /**
     * Opens a store of the data directory; what the operator must fix there (locked by another server,
     * a file in the way, no permission) becomes one line naming {@code --data-dir}.
     */
    private <T> T inDataDir(Supplier<T> open) {
        try {
            return open.get();
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause();
            String detail = cause == null ? "" : ": " + cause.getClass().getSimpleName() + " " + cause.getMessage();
            throw new StartupException("cannot use the data directory "
                    + config.dataDir().toAbsolutePath().normalize() + " (--data-dir): " + e.getMessage() + detail);
        }
    }

    /** Opens a store; if that fails, closes the ones opened before, so a failed start holds no files. */
    private static <T> T openOrClose(Supplier<T> open, Closeable... opened) {
        try {
            return open.get();
        } catch (RuntimeException e) {
            for (Closeable c : opened) {
                try {
                    c.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
    }

    /** A listener for client connections; they share one receive-buffer sizer (each keeps only its handle). */
    private ServerBootstrap clientListener(ChannelInitializer<Channel> initializer) {
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFER_SIZER)
                .childHandler(initializer);
        if (config.socketSendBufferBytes() > 0) {
            // Autotuning grows a non-reader's buffer to megabytes; pushes are small and a slow reader is dropped
            // anyway.
            b.childOption(ChannelOption.SO_SNDBUF, config.socketSendBufferBytes());
        }
        return b;
    }

    private static int threads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static TokenMinter minter(TokenIssuer issuer) {
        return new TokenMinter() {
            @Override
            public String issue(String sub, Duration ttl, List<Capability> caps) {
                return issuer.issue(sub, ttl, caps);
            }

            @Override
            public String issueChannelToken(String sub, Duration ttl, String channel, Set<Operation> allow) {
                return issuer.issueChannelToken(sub, ttl, channel, allow);
            }
        };
    }
}
