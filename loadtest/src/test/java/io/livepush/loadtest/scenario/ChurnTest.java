package io.livepush.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.ServerMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChurnTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    @Test
    void everyClientGetsExactlyItsOneMessageInEveryRound() throws Exception {
        Summary s = new Churn(
                        new Churn.Options(3, 50, "lt-churn.", 16, Duration.ofSeconds(60)),
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new ServerMemory(0, null),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().subscribersJoined()).isEqualTo(50);
        assertThat(s.counts().published())
                .isEqualTo(3 * 50)
                .isEqualTo(s.counts().acked());
        // Each round's message is seq last_seq + 1 of that round's subscribed answer: one expected, one delivered.
        assertThat(s.counts().deliveries())
                .isEqualTo(3 * 50)
                .isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.latencyMs().count()).isEqualTo(3 * 50);
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.results())
                .containsEntry("rounds", 3.0)
                .containsEntry("clients", 50.0)
                .doesNotContainKeys("serverHeapBytesRound1", "heapLastToFirstRound");
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("round 1 of 3", "round 3 of 3", "PASSED");
    }

    /**
     * The test JVM is server, harness and runner at once: its heap moves with all three, so the
     * comparison is only checked to be there (a heap off by more than 10% is flagged, never failed).
     */
    @Test
    void heapAfterEveryRoundIsComparedLastToFirst() throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/metrics");
        Summary s = new Churn(
                        new Churn.Options(3, 20, "lt-churn-mem.", 16, Duration.ofSeconds(60)),
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new ServerMemory(ProcessHandle.current().pid(), metrics),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.results())
                .containsKeys(
                        "serverHeapBytesRound1",
                        "serverHeapBytesRound3",
                        "serverRssBytesRound2",
                        "heapLastToFirstRound",
                        "heapWithin10Percent",
                        "rssLastToFirstRound");
        assertThat(s.results().get("heapLastToFirstRound")).isPositive();
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("HEAP after the last round is");
    }
}
