package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.scenario.InProcessServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @Test
    void nonLoopbackHostIsRefusedWithUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("fanout", "--host", "10.1.2.3", "--port", "7070", "--token-secret", "s");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("loopback");
    }

    @Test
    void fanoutFromTheCommandLinePassesAndWritesSummary(@TempDir Path out) throws Exception {
        int code = Main.commandLine()
                .execute(
                        "fanout",
                        "--host",
                        "localhost",
                        "--port",
                        String.valueOf(server.tcpAddress().getPort()),
                        "--token-secret",
                        InProcessServer.SECRET,
                        "--subscribers",
                        "10",
                        "--rate",
                        "100",
                        "--duration",
                        "1s",
                        "--payload-bytes",
                        "64",
                        "--room",
                        "room.cli",
                        "--out",
                        out.toString());
        assertThat(code).isZero();
        var json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(json.path("config").path("payloadBytes").asInt()).isEqualTo(64);
        assertThat(json.path("counts").path("deliveries").asLong())
                .isEqualTo(10 * json.path("counts").path("published").asLong());
    }

    @Test
    void durationsParse() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    }
}
