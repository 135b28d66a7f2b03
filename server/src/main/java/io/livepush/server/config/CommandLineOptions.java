package io.livepush.server.config;

import static io.livepush.server.config.ServerConfig.*;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code push-server}: one option per {@link ServerConfig} field, plus
 * {@code --log-format} ({@link #logFormat()}, the process's and not the server's), each also read
 * from an environment variable ({@code --tcp-port} ⇄ {@code PUSH_TCP_PORT}; see
 * {@link EnvironmentDefaults}) and from the {@code --config} file ({@code tcp-port: 7070}; see {@link ConfigFile}).
 * Precedence: flag &gt; environment variable &gt; config file &gt; default, the field initial values taken from
 * {@link ServerConfig}.
 *
 * <p>A {@code main} that handles {@code --help} and {@code --version} uses {@link #parseCommandLine(Map, String...)}:
 * <pre>{@code
 * CommandLine cmd = CommandLineOptions.parseCommandLine(System.getenv(), args);
 * if (!CommandLine.printHelpIfRequested(cmd.getParseResult())) {
 *     ServerConfig config = cmd.<CommandLineOptions>getCommand().toConfig();
 * }
 * }</pre>
 */
@Command(
        name = "push-server",
        mixinStandardHelpOptions = true,
        versionProvider = CommandLineOptions.Version.class,
        sortOptions = false,
        description = "Keeps long-lived client connections and pushes channel messages to them.",
        footer = {
            "",
            "Log level: PUSH_LOG_LEVEL=TRACE|DEBUG|INFO|WARN|ERROR (environment only, read by logback.xml). Default: INFO."
        })
public final class CommandLineOptions {
    @Spec
    private CommandSpec spec;

    /** Where option values that the command line does not give come from; set by {@link #newCommandLine}. */
    private ConfigFileDefaults defaults;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "YAML file setting any flag (key = flag name without --, e.g. tcp-port: 7070) and the channel namespaces; flags and environment variables override it. Env: PUSH_CONFIG.")
    private Path configFile;

    @Option(
            names = "--bind",
            paramLabel = "HOST",
            description =
                    "Address to listen on; anything but loopback needs real secrets. Env: PUSH_BIND. Default: ${DEFAULT-VALUE}.")
    private String bind = DEFAULT_BIND;

    @Option(
            names = "--tcp-port",
            paramLabel = "PORT",
            description = "TCP client port (0 = any free port). Env: PUSH_TCP_PORT. Default: ${DEFAULT-VALUE}.")
    private int tcpPort = DEFAULT_TCP_PORT;

    @Option(
            names = "--ws-port",
            paramLabel = "PORT",
            description =
                    "WebSocket and web page port (0 = any free port). Env: PUSH_WS_PORT. Default: ${DEFAULT-VALUE}.")
    private int wsPort = DEFAULT_WS_PORT;

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            description =
                    "Admin API and metrics port (0 = any free port). Env: PUSH_ADMIN_PORT. Default: ${DEFAULT-VALUE}.")
    private int adminPort = DEFAULT_ADMIN_PORT;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Directory of the store files (messages, channels, applets, data sync). Env: PUSH_DATA_DIR. Default: ${DEFAULT-VALUE}.")
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);

    // Secrets never show a default: help output must not print what the environment holds.
    @Option(
            names = "--token-secret",
            paramLabel = "SECRET",
            description =
                    "HMAC key that signs and verifies tokens, at least 32 bytes; generated on loopback if missing. Env: PUSH_TOKEN_SECRET.")
    private String tokenSecret;

    @Option(
            names = "--token-key-id",
            paramLabel = "KID",
            description =
                    "Key id of --token-secret in the JWT header. Env: PUSH_TOKEN_KEY_ID. Default: ${DEFAULT-VALUE}.")
    private String tokenKeyId = DEFAULT_TOKEN_KEY_ID;

    @Option(
            names = "--token-key",
            paramLabel = "KID=SECRET",
            split = ",",
            description =
                    "Another HMAC key that still verifies tokens (key rotation); repeatable. Env: PUSH_TOKEN_KEY (comma-separated).")
    private Map<String, String> tokenKeys = new LinkedHashMap<>();

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "Bearer key of the admin API; generated on loopback if missing. Env: PUSH_API_KEY.")
    private String apiKey;

    @Option(
            names = "--max-frame-bytes",
            paramLabel = "N",
            description = "Largest client frame. Env: PUSH_MAX_FRAME_BYTES. Default: ${DEFAULT-VALUE}.")
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

    @Option(
            names = "--token-leeway-s",
            paramLabel = "SECONDS",
            description = "Clock-skew leeway on token expiry. Env: PUSH_TOKEN_LEEWAY_S. Default: ${DEFAULT-VALUE}.")
    private int tokenLeewaySeconds = DEFAULT_TOKEN_LEEWAY_SECONDS;

    @Option(
            names = "--heartbeat-ms",
            paramLabel = "MS",
            description = "Heartbeat interval. Env: PUSH_HEARTBEAT_MS. Default: ${DEFAULT-VALUE}.")
    private int heartbeatMs = DEFAULT_HEARTBEAT_MS;

    @Option(
            names = "--handshake-timeout-ms",
            paramLabel = "MS",
            description =
                    "Time a new connection has to send Connect. Env: PUSH_HANDSHAKE_TIMEOUT_MS. Default: ${DEFAULT-VALUE}.")
    private int handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;

    @Option(
            names = "--retention-max-messages",
            paramLabel = "N",
            description = "Messages kept per channel. Env: PUSH_RETENTION_MAX_MESSAGES. Default: ${DEFAULT-VALUE}.")
    private int retentionMaxMessages = DEFAULT_RETENTION_MAX_MESSAGES;

    @Option(
            names = "--retention-max-age-s",
            paramLabel = "SECONDS",
            description =
                    "Age after which messages are dropped. Env: PUSH_RETENTION_MAX_AGE_S. Default: ${DEFAULT-VALUE}.")
    private int retentionMaxAgeSeconds = DEFAULT_RETENTION_MAX_AGE_SECONDS;

    @Option(
            names = "--store-max-messages",
            paramLabel = "N",
            description =
                    "Messages the store holds, all channels together; past it the least recently published channels lose their history (new epoch). Env: PUSH_STORE_MAX_MESSAGES. Default: ${DEFAULT-VALUE}.")
    private long storeMaxMessages = DEFAULT_STORE_MAX_MESSAGES;

    @Option(
            names = "--store-average-message-bytes",
            paramLabel = "N",
            description =
                    "Expected average message size, to size the store. Env: PUSH_STORE_AVERAGE_MESSAGE_BYTES. Default: ${DEFAULT-VALUE}.")
    private int storeAverageMessageBytes = DEFAULT_STORE_AVERAGE_MESSAGE_BYTES;

    @Option(
            names = "--store-max-channels",
            paramLabel = "N",
            description =
                    "Channels with messages the store holds; past it the least recently published channels lose their history (new epoch). Env: PUSH_STORE_MAX_CHANNELS. Default: ${DEFAULT-VALUE}.")
    private long storeMaxChannels = DEFAULT_STORE_MAX_CHANNELS;

    @Option(
            names = "--channel-idle-s",
            paramLabel = "SECONDS",
            description =
                    "How long a channel without members, queued writes or publishes keeps its in-memory state. Env: PUSH_CHANNEL_IDLE_S. Default: ${DEFAULT-VALUE}.")
    private int channelIdleSeconds = DEFAULT_CHANNEL_IDLE_SECONDS;

    @Option(
            names = "--applet-max-entries",
            paramLabel = "N",
            description =
                    "Applets stored, all rooms together; creating one more is refused with LIMIT_EXCEEDED. Env: PUSH_APPLET_MAX_ENTRIES. Default: ${DEFAULT-VALUE}.")
    private long appletMaxEntries = DEFAULT_APPLET_MAX_ENTRIES;

    @Option(
            names = "--sync-max-items",
            paramLabel = "N",
            description =
                    "Data-sync items stored (tombstones included), all spaces together; storing one more is refused with LIMIT_EXCEEDED. Embedded engine only (with --engine redis a space holds at most 10,000 items). Env: PUSH_SYNC_MAX_ITEMS. Default: ${DEFAULT-VALUE}.")
    private long syncMaxItems = DEFAULT_SYNC_MAX_ITEMS;

    @Option(
            names = "--sync-max-spaces",
            paramLabel = "N",
            description =
                    "Data-sync spaces stored; writing to one more is refused with LIMIT_EXCEEDED. Embedded engine only. Env: PUSH_SYNC_MAX_SPACES. Default: ${DEFAULT-VALUE}.")
    private long syncMaxSpaces = DEFAULT_SYNC_MAX_SPACES;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description =
                    "Most open connections (0 = from the file-descriptor limit). Env: PUSH_MAX_CONNECTIONS. Default: ${DEFAULT-VALUE}.")
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;

    @Option(
            names = "--max-subscriptions",
            paramLabel = "N",
            description = "Most subscriptions per connection. Env: PUSH_MAX_SUBSCRIPTIONS. Default: ${DEFAULT-VALUE}.")
    private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;

    @Option(
            names = "--home-threads",
            paramLabel = "N",
            description =
                    "Channel home executors (0 = one per core). Env: PUSH_HOME_THREADS. Default: ${DEFAULT-VALUE}.")
    private int homeThreads = DEFAULT_HOME_THREADS;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description =
                    "Netty event loops (0 = one per CPU core: more only adds context switches). Env: PUSH_IO_THREADS. Default: ${DEFAULT-VALUE}.")
    private int ioThreads = DEFAULT_IO_THREADS;

    @Option(
            names = "--transport",
            paramLabel = "auto|epoll|io_uring|nio",
            description =
                    "The event loops' I/O: auto (native epoll where the platform has it, else nio), epoll, io_uring (a recent Linux kernel, where seccomp allows it: fewer system calls under load, see docs/benchmarks.md) or nio. A transport the platform lacks stops the start. Env: PUSH_TRANSPORT. Default: auto.")
    private String ioTransport = "auto";

    @Option(
            names = "--home-queue-capacity",
            paramLabel = "N",
            description =
                    "Task queue bound of each home executor. Env: PUSH_HOME_QUEUE_CAPACITY. Default: ${DEFAULT-VALUE}.")
    private int homeQueueCapacity = DEFAULT_HOME_QUEUE_CAPACITY;

    @Option(
            names = "--write-buffer-low-bytes",
            paramLabel = "N",
            description =
                    "Outbound buffer low water mark per connection. Env: PUSH_WRITE_BUFFER_LOW_BYTES. Default: ${DEFAULT-VALUE}.")
    private int writeBufferLowBytes = DEFAULT_WRITE_BUFFER_LOW_BYTES;

    @Option(
            names = "--write-buffer-high-bytes",
            paramLabel = "N",
            description =
                    "Outbound buffer high water mark per connection. Env: PUSH_WRITE_BUFFER_HIGH_BYTES. Default: ${DEFAULT-VALUE}.")
    private int writeBufferHighBytes = DEFAULT_WRITE_BUFFER_HIGH_BYTES;

    @Option(
            names = "--slow-consumer-timeout-ms",
            paramLabel = "MS",
            description =
                    "How long a connection may stay unwritable before GoAway. Env: PUSH_SLOW_CONSUMER_TIMEOUT_MS. Default: ${DEFAULT-VALUE}.")
    private int slowConsumerTimeoutMs = DEFAULT_SLOW_CONSUMER_TIMEOUT_MS;

    @Option(
            names = "--history-limit",
            paramLabel = "N",
            description = "Most messages one History answer holds. Env: PUSH_HISTORY_LIMIT. Default: ${DEFAULT-VALUE}.")
    private int historyLimit = DEFAULT_HISTORY_LIMIT;

    @Option(
            names = "--replay-page-size",
            paramLabel = "N",
            description =
                    "Messages read from the store per replay step. Env: PUSH_REPLAY_PAGE_SIZE. Default: ${DEFAULT-VALUE}.")
    private int replayPageSize = DEFAULT_REPLAY_PAGE_SIZE;

    @Option(
            names = "--idempotency-window-s",
            paramLabel = "SECONDS",
            description =
                    "How long a publish idempotency key is remembered. Env: PUSH_IDEMPOTENCY_WINDOW_S. Default: ${DEFAULT-VALUE}.")
    private int idempotencyWindowSeconds = DEFAULT_IDEMPOTENCY_WINDOW_SECONDS;

    @Option(
            names = "--dev-token-ttl-s",
            paramLabel = "SECONDS",
            description =
                    "Lifetime of the development token printed on loopback. Env: PUSH_DEV_TOKEN_TTL_S. Default: ${DEFAULT-VALUE}.")
    private int devTokenTtlSeconds = DEFAULT_DEV_TOKEN_TTL_SECONDS;

    @Option(
            names = "--data-max-item-bytes",
            paramLabel = "N",
            description =
                    "Largest data-sync item content (a frame is also capped by --max-frame-bytes). Env: PUSH_DATA_MAX_ITEM_BYTES. Default: ${DEFAULT-VALUE}.")
    private int dataMaxItemBytes = DEFAULT_DATA_MAX_ITEM_BYTES;

    @Option(
            names = "--data-max-items-per-request",
            paramLabel = "N",
            description =
                    "Most items or changes in one DataSync / DataUpload, and items one sync answer sends unasked. Env: PUSH_DATA_MAX_ITEMS_PER_REQUEST. Default: ${DEFAULT-VALUE}.")
    private int dataMaxItemsPerRequest = DEFAULT_DATA_MAX_ITEMS_PER_REQUEST;

    @Option(
            names = "--socket-send-buffer-bytes",
            paramLabel = "N",
            description =
                    "Kernel send buffer (SO_SNDBUF) per connection, so that a client that stops reading pins little kernel memory; 0 = the kernel's autotuning. Env: PUSH_SOCKET_SEND_BUFFER_BYTES. Default: ${DEFAULT-VALUE}.")
    private int socketSendBufferBytes = DEFAULT_SOCKET_SEND_BUFFER_BYTES;

    @Option(
            names = "--max-connections-per-ip",
            paramLabel = "N",
            description =
                    "Most client connections from one IP address; 0 = no limit (behind a load balancer without PROXY protocol every client has its address). Env: PUSH_MAX_CONNECTIONS_PER_IP. Default: ${DEFAULT-VALUE}.")
    private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;

    @Option(
            names = "--max-connections-per-user",
            paramLabel = "N",
            description =
                    "Most authenticated connections of one user (all devices and tabs); 0 = no limit. Env: PUSH_MAX_CONNECTIONS_PER_USER. Default: ${DEFAULT-VALUE}.")
    private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;

    @Option(
            names = "--connect-rate-per-ip",
            paramLabel = "N",
            description =
                    "New connections accepted per second from one IP address, with a burst of as many; 0 = no limit. Env: PUSH_CONNECT_RATE_PER_IP. Default: ${DEFAULT-VALUE}.")
    private int connectRatePerIp = DEFAULT_CONNECT_RATE_PER_IP;

    @Option(
            names = "--publish-rate-per-connection",
            paramLabel = "N",
            description =
                    "Publishes per second one connection may send, with a burst of as many (RATE_LIMITED with retry_after_ms beyond); 0 = no limit. Env: PUSH_PUBLISH_RATE_PER_CONNECTION. Default: ${DEFAULT-VALUE}.")
    private int publishRatePerConnection = DEFAULT_PUBLISH_RATE_PER_CONNECTION;

    @Option(
            names = "--publish-rate-per-user",
            paramLabel = "N",
            description =
                    "Publishes per second of one user over all their connections, as above; 0 = no limit. Env: PUSH_PUBLISH_RATE_PER_USER. Default: ${DEFAULT-VALUE}.")
    private int publishRatePerUser = DEFAULT_PUBLISH_RATE_PER_USER;

    @Option(
            names = "--admin-max-connections",
            paramLabel = "N",
            description =
                    "Most open connections to the admin port (scrapers, the backend's HTTP pool), kept apart from the clients' share of the open-file limit. Env: PUSH_ADMIN_MAX_CONNECTIONS. Default: ${DEFAULT-VALUE}.")
    private int adminMaxConnections = DEFAULT_ADMIN_MAX_CONNECTIONS;

    @Option(
            names = "--allowed-origins",
            paramLabel = "ORIGIN",
            split = ",",
            description =
                    "Origins (e.g. https://example.com, or *) whose pages may open a WebSocket; empty: any origin on a loopback bind, else only the server's own pages. Env: PUSH_ALLOWED_ORIGINS (comma-separated).")
    private List<String> allowedOrigins = new ArrayList<>();

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description =
                    "PEM certificate chain: TLS 1.2/1.3 on the TCP and WebSocket ports (not the admin port, which is for the internal network); needs --tls-key. Re-read when it changes. Env: PUSH_TLS_CERT.")
    private Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description =
                    "PEM private key of --tls-cert (unencrypted PKCS#8, BEGIN PRIVATE KEY). Re-read when it changes. Env: PUSH_TLS_KEY.")
    private Path tlsKey;

    @Option(
            names = "--engine",
            paramLabel = "embedded|redis",
            description =
                    "Where channels keep their messages: embedded (one node, Chronicle Map files in --data-dir) or redis (any number of nodes sharing --redis-url). Env: PUSH_ENGINE. Default: embedded.")
    private String engine = "embedded";

    @Option(
            names = "--redis-url",
            paramLabel = "URL",
            description =
                    "The Redis of --engine redis: redis://[:password@]host:port, rediss://… for TLS, or redis-sentinel://host:port,host:port/master-name. Env: PUSH_REDIS_URL.")
    private String redisUrl;

    @Option(
            names = "--redis-tls-ca",
            paramLabel = "FILE",
            description =
                    "PEM certificates that the certificate of a rediss:// Redis must chain to (a private CA). Env: PUSH_REDIS_TLS_CA. Default: the JDK's trusted CAs.")
    private Path redisTlsCa;

    @Option(
            names = "--node-id",
            paramLabel = "NAME",
            description =
                    "This node's name in logs, metrics and presence (--engine redis). Env: PUSH_NODE_ID. Default: host name and TCP port.")
    private String nodeId;

    @Option(
            names = "--redis-ack-replicas",
            paramLabel = "N",
            description =
                    "A publish is acknowledged only once N Redis replicas hold it (WAIT). Env: PUSH_REDIS_ACK_REPLICAS. Default: ${DEFAULT-VALUE}.")
    private int redisAckReplicas;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description =
                    "Log lines as text, or as one JSON object per line for log pipelines. Env: PUSH_LOG_FORMAT. Default: ${DEFAULT-VALUE}.")
    private String logFormat = "text";

    @Mixin
    private ProxyOptions proxy = new ProxyOptions();

    /** A command line over new options that falls back to {@code env} for options not given. */
    public static CommandLine newCommandLine(Map<String, String> env) {
        return newCommandLine(env, ConfigFile.none());
    }

    /** A command line over new options that falls back to {@code env}, then to {@code file}, for options not given. */
    static CommandLine newCommandLine(Map<String, String> env, ConfigFile file) {
        CommandLineOptions options = new CommandLineOptions();
        options.defaults = new ConfigFileDefaults(new EnvironmentDefaults(env), file);
        return new CommandLine(options).setDefaultValueProvider(options.defaults);
    }

    /**
     * Parses {@code args} over {@code env} and, with {@code --config} (or {@code PUSH_CONFIG}), over that file:
     * a first pass finds the file, a second one reads the options over it. {@code --help} and {@code --version}
     * are not handled here: ask {@code printHelpIfRequested(cmd.getParseResult())}.
     *
     * @throws ParameterException on an unknown flag, a value that does not parse, or a value out of range
     * @throws IllegalArgumentException on a config file that cannot be read, with an unknown key, or not YAML
     */
    public static CommandLine parseCommandLine(Map<String, String> env, String... args) {
        CommandLine cmd = newCommandLine(env);
        cmd.parseArgs(args);
        Path file = cmd.<CommandLineOptions>getCommand().configFile;
        if (file == null || cmd.isUsageHelpRequested() || cmd.isVersionHelpRequested()) {
            return cmd;
        }
        ConfigFile config = ConfigFile.read(file, fileKeys(cmd.getCommandSpec()));
        CommandLine overFile = newCommandLine(env, config);
        try {
            overFile.parseArgs(args);
        } catch (ParameterException e) {
            throw overFile.<CommandLineOptions>getCommand().inFileTerms(e);
        }
        return overFile;
    }

    /** The keys a config file may set: every option's, except those of help, version and the file itself. */
    static Set<String> fileKeys(CommandSpec spec) {
        Set<String> keys = new LinkedHashSet<>();
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp()
                    && !option.versionHelp()
                    && !option.longestName().equals("--config")) {
                keys.add(ConfigFileDefaults.key(option));
            }
        }
        return keys;
    }

    /**
     * Parses flags over the process environment. {@code --help} and {@code --version} are not handled
     * here (see the class comment).
     *
     * @throws ParameterException on an unknown flag, a value that does not parse, or a value out of range
     */
    public static ServerConfig parse(String... args) {
        return parse(System.getenv(), args);
    }

    /** As {@link #parse(String...)}, with the given environment. */
    public static ServerConfig parse(Map<String, String> env, String... args) {
        return parseCommandLine(env, args).<CommandLineOptions>getCommand().toConfig();
    }

    /** @throws ParameterException naming the field of a value out of range */
    public ServerConfig toConfig() {
        ServerConfig.Builder builder;
        ServerConfig flags;
        try {
            builder = ServerConfig.builder()
                    .bind(bind)
                    .tcpPort(tcpPort)
                    .wsPort(wsPort)
                    .adminPort(adminPort)
                    .dataDir(dataDir)
                    .tokenSecret(tokenSecret)
                    .tokenKeyId(tokenKeyId)
                    .tokenKeys(tokenKeys)
                    .apiKey(apiKey)
                    .maxFrameBytes(maxFrameBytes)
                    .tokenLeewaySeconds(tokenLeewaySeconds)
                    .heartbeatMs(heartbeatMs)
                    .handshakeTimeoutMs(handshakeTimeoutMs)
                    .retentionMaxMessages(retentionMaxMessages)
                    .retentionMaxAgeSeconds(retentionMaxAgeSeconds)
                    .storeMaxMessages(storeMaxMessages)
                    .storeAverageMessageBytes(storeAverageMessageBytes)
                    .storeMaxChannels(storeMaxChannels)
                    .channelIdleSeconds(channelIdleSeconds)
                    .appletMaxEntries(appletMaxEntries)
                    .syncMaxItems(syncMaxItems)
                    .syncMaxSpaces(syncMaxSpaces)
                    .maxConnections(maxConnections)
                    .maxSubscriptions(maxSubscriptions)
                    .homeThreads(homeThreads)
                    .ioThreads(ioThreads)
                    .ioTransport(ioTransport(ioTransport))
                    .homeQueueCapacity(homeQueueCapacity)
                    .writeBufferLowBytes(writeBufferLowBytes)
                    .writeBufferHighBytes(writeBufferHighBytes)
                    .slowConsumerTimeoutMs(slowConsumerTimeoutMs)
                    .historyLimit(historyLimit)
                    .replayPageSize(replayPageSize)
                    .idempotencyWindowSeconds(idempotencyWindowSeconds)
                    .devTokenTtlSeconds(devTokenTtlSeconds)
                    .dataMaxItemBytes(dataMaxItemBytes)
                    .dataMaxItemsPerRequest(dataMaxItemsPerRequest)
                    .socketSendBufferBytes(socketSendBufferBytes)
                    .maxConnectionsPerIp(maxConnectionsPerIp)
                    .maxConnectionsPerUser(maxConnectionsPerUser)
                    .connectRatePerIp(connectRatePerIp)
                    .publishRatePerConnection(publishRatePerConnection)
                    .publishRatePerUser(publishRatePerUser)
                    .adminMaxConnections(adminMaxConnections)
                    .allowedOrigins(allowedOrigins)
                    .tlsCert(tlsCert)
                    .tlsKey(tlsKey)
                    .engine(engine(engine))
                    .redisUrl(redisUrl)
                    .nodeId(nodeId)
                    .redisAckReplicas(redisAckReplicas)
                    .redisTlsCa(redisTlsCa)
                    .proxy(proxy.toConfig());
            flags = builder.build();
        } catch (IllegalArgumentException e) {
            throw inFileTerms(new ParameterException(spec.commandLine(), inFlagTerms(e.getMessage()), e));
        }
        ConfigFile file = defaults.file();
        if (file.namespaces() == null) {
            return flags;
        }
        Namespace fallback = flags.namespaces().defaultNamespace();
        builder.namespaces(
                NamespaceSection.read(file.path(), file.namespaces(), fallback).prefixed());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // What the flags allow of a namespace: a proxy hook it names must be on.
            throw new IllegalArgumentException("config file " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The log format to {@linkplain LogFormat#select() select} before the first logger is created.
     *
     * @throws ParameterException naming the flag of a value that is neither text nor json
     */
    public LogFormat logFormat() {
        try {
            return LogFormat.of(logFormat);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static ServerConfig.IoTransport ioTransport(String name) {
        for (ServerConfig.IoTransport t : ServerConfig.IoTransport.values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("ioTransport: '" + name + "' (expected: auto, epoll, io_uring or nio)");
    }

    private static ServerConfig.Engine engine(String name) {
        for (ServerConfig.Engine e : ServerConfig.Engine.values()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine: '" + name + "' (expected: embedded or redis)");
    }

    /**
     * {@link ServerConfig} names the field it refuses ({@code "maxFrameBytes: 0 (expected: > 0)"}); an
     * operator set a flag: {@code "--max-frame-bytes: 0 (expected: > 0)"}. Each option's field has its
     * config field's name, so the flag is found through the field.
     */
    private String inFlagTerms(String message) {
        for (OptionSpec option : spec.options()) {
            if (option.userObject() instanceof Field field) {
                message = message.replaceAll("\\b" + field.getName() + "\\b", option.longestName());
            }
        }
        return message;
    }

    /**
     * A value from the config file that picocli or {@link ServerConfig} refuses: the operator wrote a key on a line
     * ({@code "config file push.yaml line 4: max-frame-bytes: 0 (expected: > 0)"}), not a flag.
     */
    private ParameterException inFileTerms(ParameterException e) {
        for (OptionSpec option : spec.options()) {
            boolean about = option == e.getArgSpec() || e.getMessage().contains(option.longestName() + ':');
            if (about && !matchedOnCommandLine(option) && defaults.fromFile(option)) {
                ConfigFile.Value value =
                        defaults.file().value(ConfigFileDefaults.key(option)).orElseThrow();
                String message =
                        e.getMessage().replace(option.longestName() + ':', ConfigFileDefaults.key(option) + ':');
                return new ParameterException(
                        spec.commandLine(), defaults.file().where(value.line()) + message, e);
            }
        }
        return e;
    }

    private boolean matchedOnCommandLine(OptionSpec option) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** The version and commit the build recorded. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.CURRENT;
            return new String[] {"push-server " + build.version() + " (commit " + build.commit() + ")"};
        }
    }
}
