package io.livepush.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end within a deadline; the output goes to a file, so a chatty child never blocks on a pipe. */
final class Processes {
    record Result(int exitCode, String output) {
        /** The end of the output, enough to see why a build failed. */
        String tail() {
            return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
        }
    }

    private Processes() {}

    static Result run(List<String> command, Path directory, Map<String, String> extraEnv, Duration deadline)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("livepush-process", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                Result unfinished = new Result(-1, new String(Files.readAllBytes(log), UTF_8));
                throw new AssertionError(command + " did not finish within " + deadline + ":\n" + unfinished.tail());
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(log), UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
