package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.scenario.InProcessServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenarioCommandsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private String port() {
        return String.valueOf(server.tcpAddress().getPort());
    }

    @Test
    void reconnectStormFromTheCommandLinePassesAndReportsRecovery(@TempDir Path out) throws Exception {
        int code = execute(
                "reconnect-storm",
                "--port",
                port(),
                "--token-secret",
                InProcessServer.SECRET,
                "--clients",
                "20",
                "--missed",
                "5",
                "--ramp",
                "0s",
                "--duration",
                "30s",
                "--room",
                "room.cli-storm",
                "--out",
                out.toString());
        assertThat(code).as(err.toString()).isZero();
        var json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("reconnect-storm");
        assertThat(json.path("results").path("clientsRecovered").asInt()).isEqualTo(20);
        assertThat(json.path("results").path("stormRecoveryMs").asDouble()).isPositive();
    }

    @Test
    void channelsFromTheCommandLinePassesAndReportsTheChecks(@TempDir Path out) throws Exception {
        int code = execute(
                "channels",
                "--port",
                port(),
                "--token-secret",
                InProcessServer.SECRET,
                "--channels",
                "300",
                "--prefix",
                "lt-cli.",
                "--connections",
                "3",
                "--in-flight",
                "20",
                "--idle-wait",
                "0s",
                "--out",
                out.toString());
        assertThat(code).as(err.toString()).isZero();
        var json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("channels");
        assertThat(json.path("results").path("acked").asInt()).isEqualTo(300);
        assertThat(json.path("results").path("newChannelPublishAcked").asInt()).isEqualTo(1);
    }

    @Test
    void aPrefixThatMakesNoChannelNameIsBadUsage() {
        int code = execute("churn", "--port", port(), "--token-secret", InProcessServer.SECRET, "--prefix", "user/");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("prefix: user/");
    }

    @Test
    void moreConnectionsThanTheFileLimitAllowsIsBadUsage() {
        int code = execute(
                "idle", "--port", port(), "--token-secret", InProcessServer.SECRET, "--connections", "100000000");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("connections: 100000000", "ulimit -n");
    }

    @Test
    void switchNeedsTwoRooms() {
        int code = execute("switch", "--port", port(), "--token-secret", InProcessServer.SECRET, "--rooms", "1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("rooms: 1 (expected: >= 2)");
    }

    @Test
    void nonLoopbackHostIsRefusedForScriptedScenariosToo() {
        int code = execute("rooms", "--host", "10.1.2.3", "--token-secret", "s");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("loopback");
    }
}
