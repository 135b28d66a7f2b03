package io.livepush.server.config;

import static java.util.Objects.requireNonNull;

import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the server is started with. Build one with {@link #builder()}: unset values keep their
 * defaults (the {@code DEFAULT_*} constants), and {@link Builder#build()} rejects values out of range.
 * {@code tokenSecret} and {@code apiKey} may be {@code null}; {@link SecretsPolicy} decides what that means.
 * {@code tlsCert} and {@code tlsKey} are {@code null} for plain TCP and WebSocket; the server checks at
 * start that both are given and usable.
 */
public record ServerConfig(
        String bind,
        int tcpPort,
        int wsPort,
        int adminPort,
        Path dataDir,
        String tokenSecret,
        String tokenKeyId,
        Map<String, String> tokenKeys,
        String apiKey,
        int maxFrameBytes,
        int tokenLeewaySeconds,
        int heartbeatMs,
        int handshakeTimeoutMs,
        int retentionMaxMessages,
        int retentionMaxAgeSeconds,
        long storeMaxMessages,
        int storeAverageMessageBytes,
        long storeMaxChannels,
        int channelIdleSeconds,
        long appletMaxEntries,
        long syncMaxItems,
        long syncMaxSpaces,
        int maxConnections,
        int maxSubscriptions,
        int homeThreads,
        int ioThreads,
        IoTransport ioTransport,
        int homeQueueCapacity,
        int writeBufferLowBytes,
        int writeBufferHighBytes,
        int slowConsumerTimeoutMs,
        int historyLimit,
        int replayPageSize,
        int idempotencyWindowSeconds,
        int devTokenTtlSeconds,
        int dataMaxItemBytes,
        int dataMaxItemsPerRequest,
        int socketSendBufferBytes,
        int maxConnectionsPerIp,
        int maxConnectionsPerUser,
        int connectRatePerIp,
        int publishRatePerConnection,
        int publishRatePerUser,
        int adminMaxConnections,
        List<String> allowedOrigins,
        Path tlsCert,
        Path tlsKey,
        Engine engine,
        String redisUrl,
        String nodeId,
        int redisAckReplicas,
        Path redisTlsCa,
        Namespaces namespaces,
        ProxyConfig proxy) {

    /** Where channels keep their messages: this node's files, or a Redis shared by a cluster of nodes. */
    public enum Engine {
        EMBEDDED,
        REDIS
    }

    /** The event loops' I/O: {@code AUTO} is native epoll where the platform has it, else NIO. */
    public enum IoTransport {
        AUTO,
        EPOLL,
        IO_URING,
        NIO
    }

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_TCP_PORT = 7070;
    public static final int DEFAULT_WS_PORT = 8080;
    public static final int DEFAULT_ADMIN_PORT = 9090;
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final String DEFAULT_TOKEN_KEY_ID = "k1";
    public static final int DEFAULT_MAX_FRAME_BYTES = 65536;
    public static final int DEFAULT_TOKEN_LEEWAY_SECONDS = 0;
    public static final int DEFAULT_HEARTBEAT_MS = 25_000;
    public static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_RETENTION_MAX_MESSAGES = 10_000;
    public static final int DEFAULT_RETENTION_MAX_AGE_SECONDS = 86_400;
    public static final long DEFAULT_STORE_MAX_MESSAGES = 1_000_000;
    public static final int DEFAULT_STORE_AVERAGE_MESSAGE_BYTES = 256;
    public static final long DEFAULT_STORE_MAX_CHANNELS = 1_000_000;
    public static final int DEFAULT_CHANNEL_IDLE_SECONDS = 60;
    public static final long DEFAULT_APPLET_MAX_ENTRIES = 100_000;
    public static final long DEFAULT_SYNC_MAX_ITEMS = 250_000;
    public static final long DEFAULT_SYNC_MAX_SPACES = 50_000;
    /** Channel ids are 32 bits wide in the message store's keys. */
    public static final long MAX_STORE_MAX_CHANNELS = 0xFFFF_FFFFL;
    /** 0: derived from the file-descriptor limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 0;

    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 64;
    /** 0: one per core. */
    public static final int DEFAULT_HOME_THREADS = 0;
    /** 0: Netty's default. */
    public static final int DEFAULT_IO_THREADS = 0;

    public static final int DEFAULT_HOME_QUEUE_CAPACITY = 65536;
    public static final int DEFAULT_WRITE_BUFFER_LOW_BYTES = 256 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 1024 * 1024;
    public static final int DEFAULT_SLOW_CONSUMER_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_HISTORY_LIMIT = 1000;
    public static final int DEFAULT_REPLAY_PAGE_SIZE = 128;
    public static final int DEFAULT_IDEMPOTENCY_WINDOW_SECONDS = 300;
    public static final int DEFAULT_DEV_TOKEN_TTL_SECONDS = 86_400;
    public static final int DEFAULT_DATA_MAX_ITEM_BYTES = 65536;
    public static final int DEFAULT_DATA_MAX_ITEMS_PER_REQUEST = 500;
    public static final int DEFAULT_ADMIN_MAX_CONNECTIONS = 256;
    public static final int DEFAULT_PUBLISH_RATE_PER_USER = 0;
    public static final int DEFAULT_PUBLISH_RATE_PER_CONNECTION = 0;
    public static final int DEFAULT_CONNECT_RATE_PER_IP = 0;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 100;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
    public static final int DEFAULT_SOCKET_SEND_BUFFER_BYTES = 64 * 1024;
    /** No namespace but the default one, which the compact constructor makes of the flags. */
    private static final Namespaces DEFAULT_NAMESPACES = Namespaces.of(
            Namespace.defaultOf(
                    DEFAULT_RETENTION_MAX_MESSAGES,
                    DEFAULT_RETENTION_MAX_AGE_SECONDS,
                    DEFAULT_MAX_FRAME_BYTES,
                    Set.of()),
            List.of());

    public ServerConfig {
        requireNonNull(bind, "bind");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind: '' (expected: a host name or an IP address)");
        }
        checkPort("tcpPort", tcpPort);
        checkPort("wsPort", wsPort);
        checkPort("adminPort", adminPort);
        requireNonNull(dataDir, "dataDir");
        requireNonNull(tokenKeyId, "tokenKeyId");
        if (tokenKeyId.isBlank()) {
            throw new IllegalArgumentException("tokenKeyId: '' (expected: not blank)");
        }
        tokenKeys = Map.copyOf(requireNonNull(tokenKeys, "tokenKeys"));
        checkPositive("maxFrameBytes", maxFrameBytes);
        checkNotNegative("tokenLeewaySeconds", tokenLeewaySeconds);
        checkPositive("heartbeatMs", heartbeatMs);
        checkPositive("handshakeTimeoutMs", handshakeTimeoutMs);
        checkPositive("retentionMaxMessages", retentionMaxMessages);
        checkPositive("retentionMaxAgeSeconds", retentionMaxAgeSeconds);
        checkPositive("storeMaxMessages", storeMaxMessages);
        checkPositive("storeAverageMessageBytes", storeAverageMessageBytes);
        if (storeMaxChannels <= 0 || storeMaxChannels > MAX_STORE_MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    "storeMaxChannels: " + storeMaxChannels + " (expected: 1.." + MAX_STORE_MAX_CHANNELS + ')');
        }
        checkPositive("channelIdleSeconds", channelIdleSeconds);
        checkPositive("appletMaxEntries", appletMaxEntries);
        checkPositive("syncMaxItems", syncMaxItems);
        checkPositive("syncMaxSpaces", syncMaxSpaces);
        checkNotNegative("maxConnections", maxConnections);
        checkPositive("maxSubscriptions", maxSubscriptions);
        checkNotNegative("homeThreads", homeThreads);
        checkNotNegative("ioThreads", ioThreads);
        requireNonNull(ioTransport, "ioTransport");
        checkPositive("homeQueueCapacity", homeQueueCapacity);
        checkPositive("writeBufferLowBytes", writeBufferLowBytes);
        if (writeBufferHighBytes < writeBufferLowBytes) {
            throw new IllegalArgumentException("writeBufferHighBytes: " + writeBufferHighBytes
                    + " (expected: >= writeBufferLowBytes " + writeBufferLowBytes + ')');
        }
        checkPositive("slowConsumerTimeoutMs", slowConsumerTimeoutMs);
        checkPositive("historyLimit", historyLimit);
        checkPositive("replayPageSize", replayPageSize);
        checkPositive("idempotencyWindowSeconds", idempotencyWindowSeconds);
        checkPositive("devTokenTtlSeconds", devTokenTtlSeconds);
        checkPositive("dataMaxItemBytes", dataMaxItemBytes);
        checkPositive("dataMaxItemsPerRequest", dataMaxItemsPerRequest);
        checkNotNegative("socketSendBufferBytes", socketSendBufferBytes);
        checkNotNegative("maxConnectionsPerIp", maxConnectionsPerIp);
        checkNotNegative("maxConnectionsPerUser", maxConnectionsPerUser);
        checkNotNegative("connectRatePerIp", connectRatePerIp);
        checkNotNegative("publishRatePerConnection", publishRatePerConnection);
        checkNotNegative("publishRatePerUser", publishRatePerUser);
        checkPositive("adminMaxConnections", adminMaxConnections);
        allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins"));
        requireNonNull(engine, "engine");
        if (engine == Engine.REDIS && (redisUrl == null || redisUrl.isBlank())) {
            throw new IllegalArgumentException("redisUrl: missing (expected: a redis:// URL with engine redis)");
        }
        if (nodeId != null && (nodeId.isBlank() || nodeId.length() > 64)) {
            throw new IllegalArgumentException("nodeId: '" + nodeId + "' (expected: 1 to 64 characters)");
        }
        checkNotNegative("redisAckReplicas", redisAckReplicas);
        requireNonNull(proxy, "proxy");
        // After the checks above: the default namespace is made of the flags they check.
        Set<ProxyHook> proxyHooks = channelHooksOn(proxy);
        namespaces = Namespaces.of(
                Namespace.defaultOf(retentionMaxMessages, retentionMaxAgeSeconds, maxFrameBytes, proxyHooks),
                requireNonNull(namespaces, "namespaces").prefixed());
        for (Namespace namespace : namespaces.prefixed()) {
            for (ProxyHook hook : namespace.proxyHooks()) {
                if (!proxyHooks.contains(hook)) {
                    throw new IllegalArgumentException("namespaces: " + namespace.displayName() + ": proxy: "
                            + hook.label() + " (expected: a hook that is on; set --proxy-" + hook.label() + "-url)");
                }
            }
        }
    }

    /** The labels of the channel hooks (those a namespace may name) whose URL is set. */
    private static Set<ProxyHook> channelHooksOn(ProxyConfig proxy) {
        return Namespace.PROXY_HOOKS.stream().filter(proxy::isOn).collect(Collectors.toUnmodifiableSet());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@link #bind()} is a loopback address ({@code localhost}, {@code 127.x.x.x}, {@code ::1}).
     * Other host names count as not loopback: deciding must not depend on a DNS lookup.
     */
    public boolean isLoopbackBind() {
        if (bind.equalsIgnoreCase("localhost")) {
            return true;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(bind);
        return address != null && address.isLoopbackAddress();
    }

    /** Leaves the secrets out, so the config can be logged. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", tcpPort=" + tcpPort + ", wsPort=" + wsPort
                + ", adminPort=" + adminPort + ", dataDir=" + dataDir + ", tokenKeyId=" + tokenKeyId
                + ", tokenKeys=" + tokenKeys.keySet() + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", engine="
                + engine + ", nodeId=" + nodeId + ", ...]";
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535, 0 = any free port)");
        }
    }

    private static void checkPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void checkNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    /** Mutable; starts from the defaults. */
    public static final class Builder {
        private String bind = DEFAULT_BIND;
        private int tcpPort = DEFAULT_TCP_PORT;
        private int wsPort = DEFAULT_WS_PORT;
        private int adminPort = DEFAULT_ADMIN_PORT;
        private Path dataDir = Path.of(DEFAULT_DATA_DIR);
        private String tokenSecret;
        private String tokenKeyId = DEFAULT_TOKEN_KEY_ID;
        private Map<String, String> tokenKeys = Map.of();
        private String apiKey;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int tokenLeewaySeconds = DEFAULT_TOKEN_LEEWAY_SECONDS;
        private int heartbeatMs = DEFAULT_HEARTBEAT_MS;
        private int handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;
        private int retentionMaxMessages = DEFAULT_RETENTION_MAX_MESSAGES;
        private int retentionMaxAgeSeconds = DEFAULT_RETENTION_MAX_AGE_SECONDS;
        private long storeMaxMessages = DEFAULT_STORE_MAX_MESSAGES;
        private int storeAverageMessageBytes = DEFAULT_STORE_AVERAGE_MESSAGE_BYTES;
        private long storeMaxChannels = DEFAULT_STORE_MAX_CHANNELS;
        private int channelIdleSeconds = DEFAULT_CHANNEL_IDLE_SECONDS;
        private long appletMaxEntries = DEFAULT_APPLET_MAX_ENTRIES;
        private long syncMaxItems = DEFAULT_SYNC_MAX_ITEMS;
        private long syncMaxSpaces = DEFAULT_SYNC_MAX_SPACES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        private int homeThreads = DEFAULT_HOME_THREADS;
        private int ioThreads = DEFAULT_IO_THREADS;
        private IoTransport ioTransport = IoTransport.AUTO;
        private int homeQueueCapacity = DEFAULT_HOME_QUEUE_CAPACITY;
        private int writeBufferLowBytes = DEFAULT_WRITE_BUFFER_LOW_BYTES;
        private int writeBufferHighBytes = DEFAULT_WRITE_BUFFER_HIGH_BYTES;
        private int slowConsumerTimeoutMs = DEFAULT_SLOW_CONSUMER_TIMEOUT_MS;
        private int historyLimit = DEFAULT_HISTORY_LIMIT;
        private int replayPageSize = DEFAULT_REPLAY_PAGE_SIZE;
        private int idempotencyWindowSeconds = DEFAULT_IDEMPOTENCY_WINDOW_SECONDS;
        private int devTokenTtlSeconds = DEFAULT_DEV_TOKEN_TTL_SECONDS;
        private int dataMaxItemBytes = DEFAULT_DATA_MAX_ITEM_BYTES;
        private int dataMaxItemsPerRequest = DEFAULT_DATA_MAX_ITEMS_PER_REQUEST;
        private int socketSendBufferBytes = DEFAULT_SOCKET_SEND_BUFFER_BYTES;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private int connectRatePerIp = DEFAULT_CONNECT_RATE_PER_IP;
        private int publishRatePerConnection = DEFAULT_PUBLISH_RATE_PER_CONNECTION;
        private int publishRatePerUser = DEFAULT_PUBLISH_RATE_PER_USER;
        private int adminMaxConnections = DEFAULT_ADMIN_MAX_CONNECTIONS;
        private List<String> allowedOrigins = List.of();
        private Path tlsCert;
        private Path tlsKey;
        private Engine engine = Engine.EMBEDDED;
        private String redisUrl;
        private String nodeId;
        private int redisAckReplicas;
        private Path redisTlsCa;
        private Namespaces namespaces = DEFAULT_NAMESPACES;
        private ProxyConfig proxy = ProxyConfig.NONE;

        private Builder() {}

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder tcpPort(int tcpPort) {
            this.tcpPort = tcpPort;
            return this;
        }

        public Builder wsPort(int wsPort) {
            this.wsPort = wsPort;
            return this;
        }

        public Builder adminPort(int adminPort) {
            this.adminPort = adminPort;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder tokenSecret(String tokenSecret) {
            this.tokenSecret = tokenSecret;
            return this;
        }

        public Builder tokenKeyId(String tokenKeyId) {
            this.tokenKeyId = tokenKeyId;
            return this;
        }

        public Builder tokenKeys(Map<String, String> tokenKeys) {
            this.tokenKeys = tokenKeys;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        public Builder tokenLeewaySeconds(int tokenLeewaySeconds) {
            this.tokenLeewaySeconds = tokenLeewaySeconds;
            return this;
        }

        public Builder heartbeatMs(int heartbeatMs) {
            this.heartbeatMs = heartbeatMs;
            return this;
        }

        public Builder handshakeTimeoutMs(int handshakeTimeoutMs) {
            this.handshakeTimeoutMs = handshakeTimeoutMs;
            return this;
        }

        public Builder retentionMaxMessages(int retentionMaxMessages) {
            this.retentionMaxMessages = retentionMaxMessages;
            return this;
        }

        public Builder retentionMaxAgeSeconds(int retentionMaxAgeSeconds) {
            this.retentionMaxAgeSeconds = retentionMaxAgeSeconds;
            return this;
        }

        public Builder storeMaxMessages(long storeMaxMessages) {
            this.storeMaxMessages = storeMaxMessages;
            return this;
        }

        public Builder storeAverageMessageBytes(int storeAverageMessageBytes) {
            this.storeAverageMessageBytes = storeAverageMessageBytes;
            return this;
        }

        /** Channels the channel table holds before it evicts the least recently published ones. */
        public Builder storeMaxChannels(long storeMaxChannels) {
            this.storeMaxChannels = storeMaxChannels;
            return this;
        }

        /** Seconds a channel without members, queued writes or publishes keeps its in-memory state. */
        public Builder channelIdleSeconds(int channelIdleSeconds) {
            this.channelIdleSeconds = channelIdleSeconds;
            return this;
        }

        /** Applets stored, all rooms together; a new applet past it is refused. */
        public Builder appletMaxEntries(long appletMaxEntries) {
            this.appletMaxEntries = appletMaxEntries;
            return this;
        }

        /** Data-sync items stored (tombstones included), all spaces together; a new item past it is refused. */
        public Builder syncMaxItems(long syncMaxItems) {
            this.syncMaxItems = syncMaxItems;
            return this;
        }

        /** Data-sync spaces stored; a new space past it is refused. */
        public Builder syncMaxSpaces(long syncMaxSpaces) {
            this.syncMaxSpaces = syncMaxSpaces;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder maxSubscriptions(int maxSubscriptions) {
            this.maxSubscriptions = maxSubscriptions;
            return this;
        }

        public Builder homeThreads(int homeThreads) {
            this.homeThreads = homeThreads;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder ioTransport(IoTransport ioTransport) {
            this.ioTransport = ioTransport;
            return this;
        }

        public Builder homeQueueCapacity(int homeQueueCapacity) {
            this.homeQueueCapacity = homeQueueCapacity;
            return this;
        }

        public Builder writeBufferLowBytes(int writeBufferLowBytes) {
            this.writeBufferLowBytes = writeBufferLowBytes;
            return this;
        }

        public Builder writeBufferHighBytes(int writeBufferHighBytes) {
            this.writeBufferHighBytes = writeBufferHighBytes;
            return this;
        }

        public Builder slowConsumerTimeoutMs(int slowConsumerTimeoutMs) {
            this.slowConsumerTimeoutMs = slowConsumerTimeoutMs;
            return this;
        }

        public Builder historyLimit(int historyLimit) {
            this.historyLimit = historyLimit;
            return this;
        }

        public Builder replayPageSize(int replayPageSize) {
            this.replayPageSize = replayPageSize;
            return this;
        }

        public Builder idempotencyWindowSeconds(int idempotencyWindowSeconds) {
            this.idempotencyWindowSeconds = idempotencyWindowSeconds;
            return this;
        }

        public Builder devTokenTtlSeconds(int devTokenTtlSeconds) {
            this.devTokenTtlSeconds = devTokenTtlSeconds;
            return this;
        }

        public Builder dataMaxItemBytes(int dataMaxItemBytes) {
            this.dataMaxItemBytes = dataMaxItemBytes;
            return this;
        }

        public Builder dataMaxItemsPerRequest(int dataMaxItemsPerRequest) {
            this.dataMaxItemsPerRequest = dataMaxItemsPerRequest;
            return this;
        }

        public Builder socketSendBufferBytes(int socketSendBufferBytes) {
            this.socketSendBufferBytes = socketSendBufferBytes;
            return this;
        }

        public Builder maxConnectionsPerIp(int maxConnectionsPerIp) {
            this.maxConnectionsPerIp = maxConnectionsPerIp;
            return this;
        }

        public Builder maxConnectionsPerUser(int maxConnectionsPerUser) {
            this.maxConnectionsPerUser = maxConnectionsPerUser;
            return this;
        }

        public Builder connectRatePerIp(int connectRatePerIp) {
            this.connectRatePerIp = connectRatePerIp;
            return this;
        }

        public Builder publishRatePerConnection(int publishRatePerConnection) {
            this.publishRatePerConnection = publishRatePerConnection;
            return this;
        }

        public Builder publishRatePerUser(int publishRatePerUser) {
            this.publishRatePerUser = publishRatePerUser;
            return this;
        }

        public Builder adminMaxConnections(int adminMaxConnections) {
            this.adminMaxConnections = adminMaxConnections;
            return this;
        }

        /** Origins whose pages may open a WebSocket; empty: any on a loopback bind, else same-origin only. */
        public Builder allowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        /** PEM certificate chain of the client ports (TCP and WebSocket); with {@link #tlsKey}, or neither. */
        public Builder tlsCert(Path tlsCert) {
            this.tlsCert = tlsCert;
            return this;
        }

        /** {@code EMBEDDED} (one node, Chronicle Map files) or {@code REDIS} (a cluster of nodes on one Redis). */
        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        /** The Redis of the {@code REDIS} engine: {@code redis://}, {@code rediss://} or {@code redis-sentinel://}. */
        public Builder redisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
            return this;
        }

        /** This node's name in logs, metrics and presence; null: host name and TCP port. */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /** Redis replicas that must hold a message before its publish is acknowledged. */
        public Builder redisAckReplicas(int redisAckReplicas) {
            this.redisAckReplicas = redisAckReplicas;
            return this;
        }

        /** PEM certificates that a {@code rediss://} Redis's certificate must chain to; null: the JDK's trust store. */
        public Builder redisTlsCa(Path redisTlsCa) {
            this.redisTlsCa = redisTlsCa;
            return this;
        }

        /** The business backend's proxy hooks; {@link ProxyConfig#NONE} by default. */
        public Builder proxy(ProxyConfig proxy) {
            this.proxy = proxy;
            return this;
        }

        /** Unencrypted PKCS#8 PEM private key of {@link #tlsCert}. */
        public Builder tlsKey(Path tlsKey) {
            this.tlsKey = tlsKey;
            return this;
        }

        /**
         * The channel namespaces besides the default one, which the retention and frame flags make (each option
         * a prefixed namespace does not set was filled from those when the config file was read).
         */
        public Builder namespaces(List<Namespace> namespaces) {
            this.namespaces = Namespaces.of(DEFAULT_NAMESPACES.defaultNamespace(), namespaces);
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public ServerConfig build() {
            return new ServerConfig(
                    bind,
                    tcpPort,
                    wsPort,
                    adminPort,
                    dataDir,
                    tokenSecret,
                    tokenKeyId,
                    tokenKeys,
                    apiKey,
                    maxFrameBytes,
                    tokenLeewaySeconds,
                    heartbeatMs,
                    handshakeTimeoutMs,
                    retentionMaxMessages,
                    retentionMaxAgeSeconds,
                    storeMaxMessages,
                    storeAverageMessageBytes,
                    storeMaxChannels,
                    channelIdleSeconds,
                    appletMaxEntries,
                    syncMaxItems,
                    syncMaxSpaces,
                    maxConnections,
                    maxSubscriptions,
                    homeThreads,
                    ioThreads,
                    ioTransport,
                    homeQueueCapacity,
                    writeBufferLowBytes,
                    writeBufferHighBytes,
                    slowConsumerTimeoutMs,
                    historyLimit,
                    replayPageSize,
                    idempotencyWindowSeconds,
                    devTokenTtlSeconds,
                    dataMaxItemBytes,
                    dataMaxItemsPerRequest,
                    socketSendBufferBytes,
                    maxConnectionsPerIp,
                    maxConnectionsPerUser,
                    connectRatePerIp,
                    publishRatePerConnection,
                    publishRatePerUser,
                    adminMaxConnections,
                    allowedOrigins,
                    tlsCert,
                    tlsKey,
                    engine,
                    redisUrl,
                    nodeId,
                    redisAckReplicas,
                    redisTlsCa,
                    namespaces,
                    proxy);
        }
    }
}
