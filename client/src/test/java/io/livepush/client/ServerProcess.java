package io.livepush.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar server/target/push-server.jar} as a child process; waits for its listening line. */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("listening tcp=([^ :]+):(\\d+) admin=([^ :]+):(\\d+)");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private InetSocketAddress tcp;
    private InetSocketAddress admin;

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException e) {
                // the pipe closed
            }
        }, "server-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ServerProcess p = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            p.awaitListening();
        } catch (RuntimeException | Error | InterruptedException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static Path jar() {
        for (Path candidate : List.of(Path.of("..", "server", "target", "push-server.jar"),
                Path.of("server", "target", "push-server.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("server/target/push-server.jar not found from " + Path.of("").toAbsolutePath()
                + ": package the server first (mvn verify -pl client -am does)");
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("server did not start within " + START_TIMEOUT + ":\n" + output);
            }
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                tcp = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
                admin = new InetSocketAddress(m.group(3), Integer.parseInt(m.group(4)));
                return;
            }
        }
    }

    InetSocketAddress tcpAddress() {
        return tcp;
    }

    InetSocketAddress adminAddress() {
        return admin;
    }

    /** {@code kill -9}, then wait for the exit. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server process still running after kill -9");
        }
    }

    @Override
    public void close() {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
