package io.livepush.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectStormTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @TempDir
    Path out;

    @Test
    void everyClientResumesEveryMissedMessageWithoutAHole() throws Exception {
        ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
        ReconnectStorm.Options options =
                new ReconnectStorm.Options(50, 20, Duration.ZERO, Duration.ofSeconds(30), 64, "room.storm-test");
        Summary s = new ReconnectStorm(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET)
                                .withOut(out),
                        new PrintStream(consoleBytes, true, StandardCharsets.UTF_8))
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().subscribersJoined()).isEqualTo(50);
        assertThat(s.counts().published()).isEqualTo(20);
        // Everything the clients got was missed and replayed: no live message, so no latency sample.
        assertThat(s.counts().deliveries())
                .isEqualTo(50 * 20)
                .isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.latencyMs().count()).isZero();
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.results()).containsEntry("clientsRecovered", 50.0).containsEntry("missedPerClient", 20.0);
        // The histograms keep 3 significant digits: their maxima may round up past the exact recovery time.
        assertThat(s.results().get("stormRecoveryMs"))
                .isPositive()
                .isGreaterThanOrEqualTo(s.results().get("catchUpP99Ms") * 0.99)
                .isGreaterThanOrEqualTo(s.results().get("reconnectMaxMs") * 0.99);
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("STORM RECOVERY", "stormRecoveryMs");

        var json = new ObjectMapper()
                .readTree(out.resolve(ReportWriter.SUMMARY_JSON).toFile());
        assertThat(json.path("results").path("stormRecoveryMs").asDouble())
                .isEqualTo(s.results().get("stormRecoveryMs"));
        assertThat(Files.readString(out.resolve(ReportWriter.REPORT_HTML))).contains("\"stormRecoveryMs\"");
    }

    @Test
    void theSameClientsGoThroughEveryStormAndEachIsTimed() throws Exception {
        ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
        ReconnectStorm.Options options =
                new ReconnectStorm.Options(30, 10, Duration.ZERO, Duration.ofSeconds(30), 64, "room.storm-rounds", 3);
        Summary s = new ReconnectStorm(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new PrintStream(consoleBytes, true, StandardCharsets.UTF_8))
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().published()).isEqualTo(3 * 10);
        // Each storm replays its own 10 missed messages to every client, once.
        assertThat(s.counts().deliveries())
                .isEqualTo(30 * 3 * 10)
                .isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.results())
                .containsKeys("storm1RecoveryMs", "storm2RecoveryMs", "storm3RecoveryMs")
                .containsEntry("clientsRecovered", 30.0);
        double slowest = Math.max(
                s.results().get("storm1RecoveryMs"),
                Math.max(s.results().get("storm2RecoveryMs"), s.results().get("storm3RecoveryMs")));
        assertThat(s.results().get("stormRecoveryMs")).isEqualTo(slowest);
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("(storm 1 of 3)", "(storm 3 of 3)");
    }
}
