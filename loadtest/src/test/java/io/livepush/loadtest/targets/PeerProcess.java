package io.livepush.loadtest.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A peer's real server binary (redis-server, mosquitto) on a free loopback port for a test class, ready
 * once it logged its ready line; the class is skipped when the binary is not installed.
 */
public final class PeerProcess implements BeforeAllCallback, AfterAllCallback {
    private final Path binary;
    private final Function<Integer, List<String>> args;
    private final String readyLine;
    private Process process;
    private int port;

    private PeerProcess(Path binary, Function<Integer, List<String>> args, String readyLine) {
        this.binary = binary;
        this.args = args;
        this.readyLine = readyLine;
    }

    public static PeerProcess redis() {
        return new PeerProcess(
                Path.of("/usr/bin/redis-server"),
                port -> List.of("--port", port.toString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                "Ready to accept connections");
    }

    /** Mosquitto 2 reads its listener from a config file; no Nagle delay, like our server and Redis. */
    static PeerProcess mosquitto() {
        return new PeerProcess(
                Path.of("/usr/sbin/mosquitto"),
                port -> {
                    try {
                        Path conf = Files.createTempFile("loadtest-mosquitto", ".conf");
                        conf.toFile().deleteOnExit();
                        Files.writeString(
                                conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n");
                        return List.of("-c", conf.toString());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                " running");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(binary), binary + " is not installed");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(args.apply(port));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        // Drains the output for the process's whole life, so it never blocks on a full pipe.
        Thread drain = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.contains(readyLine)) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "peer-" + binary.getFileName());
        drain.setDaemon(true);
        drain.start();
        assertThat(ready.await(10, TimeUnit.SECONDS))
                .as("%s logged '%s'", binary, readyLine)
                .isTrue();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
