package io.livepush.server.it;

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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar push-server.jar} as a child process, with its output read line by line so a test
 * can wait for a log line. Stops by PID: {@link #kill()} is {@code kill -9}, {@link #terminate()} is
 * SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING =
            Pattern.compile("listening tcp=([^ :]+):(\\d+) (?:ws=\\S+ )?admin=([^ :]+):(\\d+)");
    private static final String EOF = new String("<end of output>"); // compared by identity

    private final Process process;
    private final Thread reader;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private InetSocketAddress tcp;
    private InetSocketAddress admin;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readLoop, "server-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Arguments for a server on free ports (port 0 everywhere) over {@code dataDir}, then {@code more}. */
    public static String[] onFreePorts(String dataDir, String... more) {
        String[] args = {"--tcp-port", "0", "--ws-port", "0", "--admin-port", "0", "--data-dir", dataDir};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    /**
     * {@link #onFreePorts} with the other store files sized for a test (a thousand entries each): a process test
     * starts and recovers its files quickly. {@code more} comes last, so it may size them otherwise.
     */
    public static String[] onFreePortsWithSmallStores(String dataDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--store-max-channels", "1000",
                "--applet-max-entries", "1000",
                "--sync-max-items", "1000",
                "--sync-max-spaces", "1000"));
        args.addAll(List.of(more));
        return onFreePorts(dataDir, args.toArray(String[]::new));
    }

    /** Starts the jar with {@code args}; does not wait for it to listen. */
    public static ServerProcess launch(String... args) throws IOException {
        return launch(List.of(), args);
    }

    /** Starts the jar and waits for its {@code listening} line. */
    public static ServerProcess start(String... args) throws IOException {
        return listening(launch(List.of(), args));
    }

    /** As {@link #start}, with SIGHUP ignored from the start, as under {@code nohup} (the shell execs the JVM). */
    public static ServerProcess startIgnoringHangUp(String... args) throws IOException {
        return listening(launch(List.of("sh", "-c", "trap '' HUP; exec \"$0\" \"$@\""), args));
    }

    private static ServerProcess launch(List<String> prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Short-lived test servers: C1 only and a single-threaded GC start faster on a few cores.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return new ServerProcess(
                new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private static ServerProcess listening(ServerProcess p) {
        try {
            p.awaitListening();
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static Path jar() {
        // Failsafe runs in the module directory; an IDE may run in the repository root.
        for (Path candidate : List.of(
                Path.of("target", "push-server.jar"),
                Path.of("server", "target", "push-server.jar"),
                Path.of("..", "server", "target", "push-server.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new AssertionError("server/target/push-server.jar not found from "
                + Path.of("").toAbsolutePath() + ": run the package phase first (mvn verify does)");
    }

    private void readLoop() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the pipe closed: fall through
        }
        lines.add(EOF);
    }

    private void awaitListening() {
        Matcher m = LISTENING.matcher(awaitLine(l -> LISTENING.matcher(l).find()));
        if (!m.find()) {
            throw new AssertionError("unreachable");
        }
        tcp = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
        admin = new InetSocketAddress(m.group(3), Integer.parseInt(m.group(4)));
    }

    /** The next output line matching {@code p}; lines before it are passed over. */
    public String awaitLine(Predicate<String> p) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (true) {
                String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no matching line within " + START_TIMEOUT + "; output:\n" + output());
                }
                if (line == EOF) {
                    lines.add(EOF);
                    throw new AssertionError("output ended without a matching line; output:\n" + output());
                }
                if (p.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Everything the process wrote so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    public InetSocketAddress tcpAddress() {
        return tcp;
    }

    public InetSocketAddress adminAddress() {
        return admin;
    }

    public String adminUrl() {
        return "http://" + admin.getHostString() + ":" + admin.getPort();
    }

    /** Waits for the process to exit and for the end of its output; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + START_TIMEOUT + "; output:\n" + output());
        }
        reader.join(START_TIMEOUT.toMillis());
        return process.exitValue();
    }

    /**
     * {@code kill -9}. Through the handle: {@link Process#destroyForcibly()} would close our end of
     * its pipes before the process is gone.
     */
    public int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        return awaitExit();
    }

    /** SIGHUP, which Java cannot send itself: the server reloads its config. */
    public void hangUp() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -HUP " + process.pid() + " failed");
        }
    }

    /** SIGTERM: the server's shutdown hook stops it cleanly. */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit();
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
