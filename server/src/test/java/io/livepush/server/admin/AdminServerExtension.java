package io.livepush.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.server.metrics.PushMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Boots a real {@link AdminServer} on 127.0.0.1 with a random port around each test. */
final class AdminServerExtension implements BeforeEachCallback, AfterEachCallback {
    static final String API_KEY = "test-api-key";
    static final int MAX_TTL_SECONDS = 86_400;
    /** The largest payload a publish may carry, on every channel. */
    static final int MAX_PAYLOAD_BYTES = 65_536;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    private FakeAdminBackend backend;
    private FakeTokenMinter minter;
    private PushMetrics metrics;
    private EventLoopGroup group;
    private Channel serverChannel;

    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
        backend = new FakeAdminBackend();
        minter = new FakeTokenMinter();
        metrics = new PushMetrics();
        AdminServer server = new AdminServer(
                backend, minter, metrics, API_KEY, MAX_TTL_SECONDS, 10_000, channel -> MAX_PAYLOAD_BYTES);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(server.initializer())
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        serverChannel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        metrics.close();
    }

    FakeAdminBackend backend() {
        return backend;
    }

    FakeTokenMinter minter() {
        return minter;
    }

    PushMetrics metrics() {
        return metrics;
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** A request to {@code path} carrying the right API key. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + API_KEY);
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes raw bytes on a fresh connection and reads until {@code done} holds for what came back or
     * the server closes; for what {@link HttpClient} will not do (pipelining, lying about lengths).
     */
    String raw(String request, Predicate<String> done) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!done.test(text.toString())) {
                int n = in.read(buffer);
                if (n < 0) {
                    text.append("<EOF>");
                    break;
                }
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
