package io.livepush.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A business backend for the proxy hooks: the JDK's HTTP server on a loopback port, one path per hook
 * ({@code /connect}, {@code /join} …). A test sets what each path answers from the request's JSON, and
 * reads the requests each path got. Register it before the server's extension, so that it stops after it.
 */
public final class FakeBackend implements AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Function<JsonNode, Answer>> routes = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<JsonNode>> received = new ConcurrentHashMap<>();
    /** Released when the backend stops: answers that "hang" wait for it. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    /** What a path answers: a status and a JSON body, or nothing until the backend stops. */
    public record Answer(int status, String body, boolean silent) {
        public static Answer json(String body) {
            return new Answer(200, body, false);
        }

        public static Answer status(int status) {
            return new Answer(status, "{}", false);
        }

        public static Answer hang() {
            return new Answer(0, "", true);
        }
    }

    public FakeBackend() {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The URL of a hook's path, e.g. {@code url("connect")}. */
    public URI url(String hook) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/" + hook);
    }

    public void on(String hook, Function<JsonNode, Answer> answer) {
        routes.put("/" + hook, answer);
    }

    /** The next request {@code hook} got, waiting for it up to {@link TestClient#TIMEOUT}. */
    public JsonNode next(String hook) throws InterruptedException {
        JsonNode r = queue("/" + hook).poll(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no " + hook + " request within " + TestClient.TIMEOUT);
        }
        return r;
    }

    /** The next request of {@code hook} on {@code channel}, skipping others, waiting up to {@link TestClient#TIMEOUT}. */
    public JsonNode next(String hook, String channel) throws InterruptedException {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        while (true) {
            JsonNode r = queue("/" + hook).poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no " + hook + " request on " + channel + " within " + TestClient.TIMEOUT);
            }
            if (r.path("channel").asText().equals(channel)) {
                return r;
            }
        }
    }

    /** Forgets the requests received so far. */
    public void clear() {
        received.values().forEach(BlockingQueue::clear);
    }

    /** The requests {@code hook} got and nobody took yet. */
    public List<JsonNode> pending(String hook) {
        return List.copyOf(queue("/" + hook));
    }

    private BlockingQueue<JsonNode> queue(String path) {
        return received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String path = exchange.getRequestURI().getPath();
            queue(path).add(request);
            Function<JsonNode, Answer> route = routes.get(path);
            Answer answer = route == null ? Answer.status(404) : route.apply(request);
            if (answer.silent()) {
                stopping.await(30, TimeUnit.SECONDS);
                return;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopping.countDown();
        http.stop(0);
        executor.shutdownNow();
    }
}
