package io.livepush.loadtest;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.scenario.InProcessServer;
import io.livepush.server.it.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real cluster for a test class: {@code count} server processes ({@code java -jar push-server.jar}, see
 * {@link ServerProcess}) with {@code --engine redis} on one Redis, every port 0, each with its own node id and
 * data directory. Started together; ready once each logged its {@code listening} line. Stopped by their PIDs
 * after the class: SIGTERM, then SIGKILL for any still running.
 */
final class ClusterNodes implements BeforeAllCallback, AfterAllCallback {
    static final String API_KEY = "loadtest-cluster-api-key";
    private static final Pattern LISTENING =
            Pattern.compile("listening tcp=([^ :]+):(\\d+) ws=([^ :]+):(\\d+) admin=([^ :]+):(\\d+)");
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** One node: its client ports, its admin port and its process id. */
    record Node(InetSocketAddress tcp, InetSocketAddress ws, InetSocketAddress admin, long pid) {
        URI metricsUrl() {
            return URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics");
        }
    }

    private final int count;
    private final Supplier<InetSocketAddress> redis;
    private final List<ServerProcess> processes = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    /** @param redis the Redis every node shares, read when the class starts (after the Redis extension's start) */
    ClusterNodes(int count, Supplier<InetSocketAddress> redis) {
        this.count = count;
        this.redis = requireNonNull(redis, "redis");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        InetSocketAddress r = redis.get();
        String url = "redis://127.0.0.1:" + r.getPort();
        for (int i = 1; i <= count; i++) {
            Path dir = Files.createTempDirectory("push-loadtest-cluster-n" + i);
            dataDirs.add(dir);
            processes.add(ServerProcess.launch(ServerProcess.onFreePorts(
                    dir.toString(),
                    "--token-secret",
                    InProcessServer.SECRET,
                    "--api-key",
                    API_KEY,
                    "--engine",
                    "redis",
                    "--redis-url",
                    url,
                    "--node-id",
                    "n" + i)));
        }
        for (int i = 0; i < count; i++) {
            ServerProcess p = processes.get(i);
            Matcher m = LISTENING.matcher(p.awaitLine(l -> LISTENING.matcher(l).find()));
            if (!m.find()) {
                throw new AssertionError("unreachable");
            }
            nodes.add(new Node(
                    address(m.group(1), m.group(2)),
                    address(m.group(3), m.group(4)),
                    address(m.group(5), m.group(6)),
                    pid(dataDirs.get(i))));
        }
    }

    private static InetSocketAddress address(String host, String port) {
        return new InetSocketAddress(host, Integer.parseInt(port));
    }

    /** The server child whose command line names {@code dataDir}: {@link ServerProcess} does not give its PID. */
    private static long pid(Path dataDir) {
        String dir = dataDir.toString();
        try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
            return children.filter(c -> c.info()
                            .arguments()
                            .map(a -> List.of(a).contains(dir))
                            .orElse(false))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no server process with --data-dir " + dir))
                    .pid();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (ServerProcess p : processes) {
            try {
                p.terminate();
            } catch (AssertionError e) {
                p.close(); // still running: SIGKILL
            }
        }
        for (Path dir : dataDirs) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The nodes' values of one option: {@code 41234,41240,41251}. */
    String list(Function<Node, Object> value) {
        return nodes.stream().map(n -> String.valueOf(value.apply(n))).collect(Collectors.joining(","));
    }

    /** A counter of every node now (the sum of its samples), in node order. */
    long[] counter(String name) throws IOException, InterruptedException {
        long[] values = new long[nodes.size()];
        Pattern sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$");
        for (int i = 0; i < nodes.size(); i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(nodes.get(i).metricsUrl())
                            .timeout(HTTP_TIMEOUT)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = sample.matcher(r.body());
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            values[i] = (long) sum;
        }
        return values;
    }
}
