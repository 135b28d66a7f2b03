package io.livepush.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's {@code promtool} (package {@code prometheus}), run as a process; tests skip where it is missing. */
public final class Promtool {
    private static final Path BINARY = Path.of("/usr/bin/promtool");

    /** What a run printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {}

    private Promtool() {}

    /** Skips the calling test when promtool is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), BINARY + " is not installed (Debian package prometheus)");
    }

    /** {@code promtool args...} in {@code dir}, with {@code stdin} (or nothing) as its input. */
    public static Result run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), output);
    }
}
