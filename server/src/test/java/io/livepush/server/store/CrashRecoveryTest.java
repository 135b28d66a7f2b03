package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A process killed with {@code kill -9} mid-append loses no acknowledged message. */
class CrashRecoveryTest {
    private static final int MIN_ACKED = 1_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAckedMessageSurvivesKillDashNine() throws Exception {
        Path stderr = dir.resolve("child-stderr.txt");
        Path dataDir = dir.resolve("data");
        Process child = new ProcessBuilder(childCommand(dataDir))
                .redirectError(stderr.toFile())
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(child, lines), "child-stdout");
        reader.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines.size() < MIN_ACKED + 1 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // SIGKILL: no shutdown hooks, no clean close. Through the handle, because Process.destroyForcibly
        // also closes our end of the pipe, losing acknowledged lines still in it.
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000); // drain what was acknowledged before the kill
        assertThat(lines.size())
                .as("acknowledged lines; child stderr:%n%s", Files.readString(stderr))
                .isGreaterThan(MIN_ACKED);

        String epoch = lines.get(0).substring("epoch ".length());
        List<Long> acked = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            acked.add(Long.parseLong(line));
        }

        try (ChronicleMessageLog log = ChronicleMessageLog.open(CrashingAppender.config(dataDir))) {
            ChannelMeta meta = log.find(CrashingAppender.CHANNEL).orElseThrow();
            assertThat(meta.epoch()).isEqualTo(epoch);
            long lastAcked = acked.get(acked.size() - 1);
            assertThat(meta.lastSeq()).isGreaterThanOrEqualTo(lastAcked);

            List<Message> stored = log.read(CrashingAppender.CHANNEL, 1, lastAcked, Integer.MAX_VALUE);
            assertThat(stored).extracting(Message::getSeq).containsExactlyElementsOf(acked);
            assertThat(stored).allSatisfy(m -> assertThat(m.getEpoch()).isEqualTo(epoch));

            Message next = log.append(CrashingAppender.CHANNEL, "after", ByteString.EMPTY, "test", 1L);
            assertThat(next.getSeq()).isEqualTo(meta.lastSeq() + 1);
            assertThat(next.getEpoch()).isEqualTo(epoch);
        }
    }

    private static List<String> childCommand(Path dataDir) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // The same Chronicle flags this JVM got from surefire's argLine.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")
                    || arg.startsWith("-Dchronicle")
                    || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingAppender.class.getName());
        command.add(dataDir.toString());
        return command;
    }

    private static void readLines(Process child, List<String> into) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                into.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
