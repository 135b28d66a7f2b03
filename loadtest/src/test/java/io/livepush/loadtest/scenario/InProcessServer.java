package io.livepush.loadtest.scenario;

import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real server for a test class: loopback, random ports, a fresh data directory. */
public final class InProcessServer implements BeforeAllCallback, AfterAllCallback {
    public static final String SECRET = "loadtest-test-secret-0123456789abcdef";

    private final int heartbeatMs;
    private final UnaryOperator<ServerConfig.Builder> customizer;
    private Path dataDir;
    private PushServer server;

    public InProcessServer() {
        this(ServerConfig.DEFAULT_HEARTBEAT_MS);
    }

    /** A server that asks clients to ping every {@code heartbeatMs} and closes them after two missed pings. */
    public InProcessServer(int heartbeatMs) {
        this(heartbeatMs, b -> b);
    }

    /** A server whose config {@code customizer} changes last (e.g. TLS files). */
    public InProcessServer(int heartbeatMs, UnaryOperator<ServerConfig.Builder> customizer) {
        this.heartbeatMs = heartbeatMs;
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("push-loadtest-it");
        server = PushServer.start(customizer
                .apply(ServerConfig.builder()
                        .bind("127.0.0.1")
                        .tcpPort(0)
                        .wsPort(0)
                        .adminPort(0)
                        .dataDir(dataDir)
                        .tokenSecret(SECRET)
                        .apiKey("loadtest-test-api-key")
                        .storeMaxMessages(200_000)
                        .heartbeatMs(heartbeatMs))
                .build());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public InetSocketAddress tcpAddress() {
        return server.tcpAddress();
    }

    public InetSocketAddress wsAddress() {
        return server.wsAddress();
    }

    public InetSocketAddress adminAddress() {
        return server.adminAddress();
    }
}
