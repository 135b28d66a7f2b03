package io.livepush.server.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} (Debian's, {@code /usr/bin/redis-server}) for a test class, as a child process on
 * loopback: a free port, no persistence, a fresh directory. Register it as a static field with
 * {@code @RegisterExtension}. Skips the class when redis-server is not installed ({@code .ci/run} installs it).
 *
 * <p>Ready means its log said "Ready to accept connections" and a {@code PING} got {@code +PONG}, both within
 * {@link #START_DEADLINE}; it stops by its PID after the class (SIGTERM, then SIGKILL).
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    public static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private final List<String> log = new ArrayList<>();
    /** What follows the port, bind and persistence arguments (a replica's {@code --replicaof}); or a sentinel's config. */
    private final Supplier<List<String>> extraArgs;

    private final Supplier<String> sentinelConfig;
    /** With these, Redis also serves TLS on {@link #tlsPort}. */
    private final TestCertificate.PemFiles tls;

    private Path dir;
    private Process process;
    private int port;
    private int tlsPort;

    /** A primary with no persistence. */
    public RedisServerExtension() {
        this(List::of, null, null);
    }

    /** Arguments made at start: a primary's port is known only once it started. */
    private RedisServerExtension(
            Supplier<List<String>> extraArgs, Supplier<String> sentinelConfig, TestCertificate.PemFiles tls) {
        this.extraArgs = extraArgs;
        this.sentinelConfig = sentinelConfig;
        this.tls = tls;
    }

    /** A primary that serves TLS with {@code files} on {@link #tlsPort} (and plain TCP on {@link #port}). */
    public static RedisServerExtension withTls(TestCertificate.PemFiles files) {
        return new RedisServerExtension(List::of, null, files);
    }

    /** A replica of {@code primary} (started before it). */
    public static RedisServerExtension replicaOf(RedisServerExtension primary) {
        return new RedisServerExtension(
                () -> List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())), null, null);
    }

    /** A node of a Redis Cluster, not yet part of one (see {@link RedisClusterExtension}). */
    public static RedisServerExtension clusterNode() {
        // nodes.conf lands in the node's own directory: redis-server works in its --dir.
        return new RedisServerExtension(
                () -> List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"),
                null,
                null);
    }

    /** A sentinel watching {@code primary} as {@code master} with a quorum of {@code quorum}, failing over in a second. */
    public static RedisServerExtension sentinelOf(RedisServerExtension primary, String master, int quorum) {
        return new RedisServerExtension(
                List::of,
                () -> String.join(
                        "\n",
                        "sentinel monitor " + master + " 127.0.0.1 " + primary.port() + " " + quorum,
                        "sentinel down-after-milliseconds " + master + " 1000",
                        "sentinel failover-timeout " + master + " 5000",
                        "sentinel parallel-syncs " + master + " 1",
                        ""),
                null);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** Starts redis-server (skipping the test where it is not installed); {@link #close} stops it. */
    public void start() throws IOException, InterruptedException, ExecutionException {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER), REDIS_SERVER + " is not installed");
        dir = Files.createTempDirectory("push-redis");
        if (port == 0) {
            port = freePort();
        }
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER.toString()));
        if (sentinelConfig != null) {
            // A sentinel rewrites its config file: one of its own in its directory.
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n" + sentinelConfig.get());
            command.addAll(List.of(config.toString(), "--sentinel"));
        } else {
            command.addAll(List.of(
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
            command.addAll(List.of("--dir", dir.toString()));
            command.addAll(extraArgs.get());
            if (tls != null) {
                if (tlsPort == 0) {
                    tlsPort = freePort();
                }
                command.addAll(List.of(
                        "--tls-port",
                        Integer.toString(tlsPort),
                        "--tls-cert-file",
                        tls.cert().toString(),
                        "--tls-key-file",
                        tls.key().toString(),
                        "--tls-auth-clients",
                        "no"));
            }
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        InputStream output = process.getInputStream();
        Thread reader = new Thread(() -> readLog(output, ready), "redis-server-log-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop();
            throw new IllegalStateException("redis-server not ready within " + START_DEADLINE + "; log: " + log(), e);
        }
        if (!ping()) {
            stop();
            throw new IllegalStateException("redis-server answered no PONG; log: " + log());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Stops redis-server and starts an empty one on the same port: what a restart without persistence is. */
    public void restartEmpty() throws IOException, InterruptedException, ExecutionException {
        close();
        start();
    }

    /** Whether redis-server is running (not yet stopped, or killed). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Sends {@code signal} (e.g. {@code STOP}, {@code CONT}, {@code KILL}) to redis-server. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
        }
    }

    /** Runs {@code redis-cli} against this server with {@code args}; what it printed. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(cli.getInputStream().readAllBytes(), UTF_8);
        if (!cli.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || cli.exitValue() != 0) {
            cli.destroyForcibly();
            throw new IllegalStateException("redis-cli " + args[0] + " failed: " + output);
        }
        return output;
    }

    /** Stops redis-server and deletes its directory. */
    public void close() throws IOException, InterruptedException {
        stop();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code rediss://127.0.0.1:<tls port>}, for one made {@link #withTls}. */
    public String tlsUri() {
        return "rediss://127.0.0.1:" + tlsPort;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The PID of the redis-server process (a test may signal it). */
    public long pid() {
        return process.pid();
    }

    private void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
        process = null;
    }

    private void readLog(InputStream in, CompletableFuture<Void> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (log) {
                    log.add(line);
                }
                if (line.contains("Ready to accept connections") || line.contains("+monitor master")) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("redis-server exited; log: " + log()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    private boolean ping() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) START_DEADLINE.toMillis());
            socket.setSoTimeout((int) START_DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(UTF_8));
            out.flush();
            byte[] pong = socket.getInputStream().readNBytes("+PONG\r\n".length());
            return new String(pong, UTF_8).equals("+PONG\r\n");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
