package io.livepush.client;

import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import io.livepush.server.bootstrap.PushServer;
import io.livepush.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real in-process server for a test class: loopback, a fresh data directory. {@link #restart()}
 * stops it and starts it again from the same data directory on the same TCP port.
 */
final class TestServer implements BeforeAllCallback, AfterAllCallback {
    static final String SECRET = "client-test-secret-0123456789abcdef0123";
    static final String API_KEY = "client-test-api-key";

    private final UnaryOperator<ServerConfig.Builder> customizer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path dataDir;
    private PushServer server;
    private int tcpPort;

    TestServer() {
        this(b -> b);
    }

    TestServer(UnaryOperator<ServerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("push-client-it");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    void start() throws InterruptedException {
        server = PushServer.start(customizer
                .apply(ServerConfig.builder()
                        .bind("127.0.0.1")
                        .tcpPort(tcpPort)
                        .wsPort(0) // every test port is picked free: the suite passes beside a server on the defaults
                        .adminPort(0)
                        .dataDir(dataDir)
                        .tokenSecret(SECRET)
                        .apiKey(API_KEY)
                        .heartbeatMs(1000)
                        .storeMaxMessages(100_000))
                .build());
        tcpPort = server.tcpAddress().getPort();
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    void restart() throws InterruptedException {
        stop();
        start();
    }

    InetSocketAddress tcpAddress() {
        return new InetSocketAddress("127.0.0.1", tcpPort);
    }

    String token(String user, Duration ttl) {
        return server.tokenIssuer()
                .issue(user, ttl, List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class))));
    }

    String token(String user, Duration ttl, List<Capability> caps) {
        return server.tokenIssuer().issue(user, ttl, caps);
    }

    /** A client of {@code user} with full caps and fast reconnects; not yet connected. */
    PushClientBuilder client(String user, PushListener listener) {
        return PushClient.builder()
                .address(this::tcpAddress)
                .tokenSupplier(() -> token(user, Duration.ofHours(1)))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(10))
                .clientName("client-it")
                .listener(listener);
    }

    /** The value of a Prometheus counter on {@code GET /metrics} (0 when absent). */
    double metric(String name) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            String body =
                    http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            return body.lines()
                    .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Closes the server's side of every connection of {@code user}; returns how many. */
    String disconnect(String user) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.adminAddress().getPort() + "/api/v1/users/" + user + "/disconnect"))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test\"}"))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("disconnect: " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
