package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
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
class CompareCommandTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @Test
    void comparesOurTwoTransportsClosedLoopAndWritesOneReportPerTarget(@TempDir Path out) throws Exception {
        int code = Main.commandLine()
                .execute(
                        "compare",
                        "--targets",
                        "push-tcp,push-ws",
                        "--tcp-port",
                        String.valueOf(server.tcpAddress().getPort()),
                        "--ws-port",
                        String.valueOf(server.wsAddress().getPort()),
                        "--token-secret",
                        InProcessServer.SECRET,
                        "--subscribers",
                        "10",
                        "--closed-loop",
                        "--backlog",
                        "100",
                        "--duration",
                        "1s",
                        "--room",
                        "room.compare",
                        "--out",
                        out.toString());

        assertThat(code).isZero();
        assertThat(out.resolve("push-tcp").resolve(ReportWriter.SUMMARY_JSON)).exists();
        assertThat(out.resolve("push-ws").resolve(ReportWriter.REPORT_HTML)).exists();
        var json = new ObjectMapper()
                .readTree(out.resolve(CompareCommand.COMPARISON_JSON).toFile());
        assertThat(json.path("entries")).hasSize(2);
        assertThat(json.path("entries").get(1).path("target").asText()).isEqualTo("push-ws");
        assertThat(json.path("entries").get(0).path("deliveriesPerSec").asDouble())
                .isPositive();
        assertThat(json.path("deliveriesPerSecRatios")
                        .path("push-ws")
                        .path("push-ws")
                        .asDouble())
                .isEqualTo(1.0);
    }

    @Test
    void ourServerNeedsTheTokenSecretBeforeAnyRunStarts() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("compare", "--targets", "redis,push-tcp", "--redis-port", "1", "--duration", "1s");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("tokenSecret", "push-tcp");
    }

    @Test
    void unknownTargetAndRateWithClosedLoopAreUsageErrors() {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("compare", "--targets", "kafka")).isEqualTo(2);
        assertThat(cli.execute("fanout", "--target", "redis", "--rate", "10", "--closed-loop"))
                .isEqualTo(2);
    }

    @Test
    void aRateSweepRunsEveryTargetAtEachRateAndReportsPerRate(@TempDir Path out) throws Exception {
        int code = Main.commandLine()
                .execute(
                        "compare",
                        "--targets",
                        "push-tcp,push-ws",
                        "--tcp-port",
                        String.valueOf(server.tcpAddress().getPort()),
                        "--ws-port",
                        String.valueOf(server.wsAddress().getPort()),
                        "--token-secret",
                        InProcessServer.SECRET,
                        "--subscribers",
                        "5",
                        "--rates",
                        "20,40",
                        "--duration",
                        "1s",
                        "--room",
                        "room.sweep",
                        "--out",
                        out.toString());

        assertThat(code).isZero();
        assertThat(out.resolve("rate-40").resolve("push-ws").resolve(ReportWriter.SUMMARY_JSON))
                .exists();
        assertThat(out.resolve("rate-20").resolve(CompareCommand.COMPARISON_JSON))
                .exists();
        var sweep = new ObjectMapper()
                .readTree(out.resolve(CompareCommand.SWEEP_JSON).toFile());
        assertThat(sweep.path("steps")).hasSize(2);
        assertThat(sweep.path("steps").get(1).path("ratePerSec").asDouble()).isEqualTo(40);
        var summary = new ObjectMapper()
                .readTree(out.resolve("rate-40")
                        .resolve("push-tcp")
                        .resolve(ReportWriter.SUMMARY_JSON)
                        .toFile());
        assertThat(summary.path("config").path("ratePerSec").asDouble()).isEqualTo(40);
        assertThat(summary.path("counts").path("published").asLong()).isEqualTo(40);
    }

    @Test
    void ratesWithClosedLoopIsAUsageError() {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("compare", "--targets", "redis", "--rates", "100,300", "--closed-loop"))
                .isEqualTo(2);
        assertThat(cli.execute("compare", "--targets", "redis", "--rates", "100,0"))
                .isEqualTo(2);
    }
}
