package io.livepush.server.it;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.config.ServerConfig;
import io.livepush.server.testing.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Boots a real server for a test class: loopback, random ports, a fresh data directory. Register it
 * as a static field with {@code @RegisterExtension}.
 *
 * <p>With the system property {@code push.it.engine=redis} (the build's second run of the
 * integration tests) each server gets its own redis-server and runs the Redis engine, so that the same
 * tests hold the cluster engine to the same contract; a test's own settings still come last. With
 * {@code push.it.transport=io_uring} (or epoll, nio) the servers run that {@code --transport}.
 */
public final class PushServerExtension implements ClusterNode, BeforeAllCallback, AfterAllCallback {
    public static final String SECRET = "integration-test-secret-0123456789abcdef";
    public static final String API_KEY = "integration-test-api-key";

    private final UnaryOperator<ServerConfig.Builder> customizer;
    private Path dataDir;
    private PushServer server;
    /** Null unless the tests run on the Redis engine. */
    private RedisServerExtension redis;

    public PushServerExtension() {
        this(b -> b);
    }

    public PushServerExtension(UnaryOperator<ServerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /** Node {@code id} of a cluster on the Redis at {@code redisUrl} (read at its start), then {@code more}. */
    public static PushServerExtension clusterNode(
            String id, Supplier<String> redisUrl, UnaryOperator<ServerConfig.Builder> more) {
        return new PushServerExtension(b -> more.apply(
                b.engine(ServerConfig.Engine.REDIS).redisUrl(redisUrl.get()).nodeId(id)));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("push-it");
        if ("redis".equals(System.getProperty("push.it.engine"))) {
            redis = new RedisServerExtension();
            redis.start();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        deleteRecursively(dataDir);
        if (redis != null) {
            redis.close();
        }
    }

    public void start() throws InterruptedException {
        ServerConfig.Builder defaults = ServerConfig.builder();
        if (redis != null) {
            defaults.engine(ServerConfig.Engine.REDIS).redisUrl(redis.uri());
        }
        String transport = System.getProperty("push.it.transport");
        if (transport != null) {
            defaults.ioTransport(ServerConfig.IoTransport.valueOf(transport.toUpperCase(Locale.ROOT)));
        }
        server = PushServer.start(customizer
                .apply(defaults.bind("127.0.0.1")
                        .tcpPort(0)
                        .wsPort(0)
                        .adminPort(0)
                        .dataDir(dataDir)
                        .tokenSecret(SECRET)
                        .apiKey(API_KEY)
                        .storeMaxMessages(200_000))
                .build());
    }

    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public PushServer server() {
        return server;
    }

    @Override
    public InetSocketAddress tcpAddress() {
        return server.tcpAddress();
    }

    public InetSocketAddress wsAddress() {
        return server.wsAddress();
    }

    /** {@code http://127.0.0.1:port} of the web port (share page; WebSocket on {@code /ws}). */
    public String webUrl() {
        return "http://127.0.0.1:" + server.wsAddress().getPort();
    }

    @Override
    public String adminUrl() {
        return "http://127.0.0.1:" + server.adminAddress().getPort();
    }

    /** A connection token for {@code user} that may do everything on every channel. */
    @Override
    public String tokenFor(String user) {
        return token(user, Duration.ofHours(1), List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class))));
    }

    public String token(String user, Duration ttl, List<Capability> caps) {
        return server.tokenIssuer().issue(user, ttl, caps);
    }

    public String channelToken(String user, String channel, Set<Operation> allow) {
        return server.tokenIssuer().issueChannelToken(user, Duration.ofHours(1), channel, allow);
    }

    /** A client connected and authenticated as {@code user} with full caps. */
    @Override
    public TestClient connect(String user) throws IOException {
        TestClient c = TestClient.open(tcpAddress());
        c.connect(tokenFor(user));
        return c;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
