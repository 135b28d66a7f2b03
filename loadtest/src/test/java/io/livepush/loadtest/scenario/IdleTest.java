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
class IdleTest {
    /** Pings every second, closes after 2 s of silence: holding for longer needs working heartbeats. */
    @RegisterExtension
    static final InProcessServer server = new InProcessServer(1000);

    private final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void idleConnectionsPingAndStayUpForTheWholeHold() throws Exception {
        Summary s = new Idle(
                        new Idle.Options(100, Duration.ZERO, Duration.ofSeconds(3), "room.idle"),
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new ServerMemory(0, null),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().subscribersJoined()).isEqualTo(100);
        assertThat(s.counts().errors()).isZero();
        assertThat(s.results())
                .containsEntry("connectionsHeld", 100.0)
                .doesNotContainKey("serverHeapBytesPerConnection");
    }

    /**
     * The test JVM is server, harness and test runner at once, so its figures mix both sides of each
     * connection with the runner's own churn and can even come out negative: this checks that every
     * source (GC via jcmd, /proc, /metrics) was read, not what a connection costs.
     */
    @Test
    void memoryPerConnectionIsMeasuredFromPidAndMetrics() throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/metrics");
        ServerMemory memory = new ServerMemory(ProcessHandle.current().pid(), metrics);
        Summary s = new Idle(
                        new Idle.Options(100, Duration.ZERO, Duration.ofMillis(200), null),
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        memory,
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.results())
                .containsKeys(
                        "serverHeapBytesPerConnection",
                        "serverDirectBytesPerConnection",
                        "serverNettyDirectBytesPerConnection",
                        "serverRssBytesPerConnection");
        assertThat(s.results().values()).allSatisfy(v -> assertThat(v).isFinite());
    }
}
