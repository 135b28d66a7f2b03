package io.livepush.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.stats.ServerMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChannelsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    @Test
    void everyChannelGetsItsMessageAndTheServerStillWorksAfterwards(@TempDir Path out) throws Exception {
        Channels.Options options =
                new Channels.Options(2_000, "lt-inbox.", 2, 100, 16, Duration.ZERO, Duration.ofSeconds(30));
        Summary s = new Channels(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET)
                                .withOut(out),
                        new ServerMemory(0, null),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().errors()).isZero();
        assertThat(s.counts().published()).isEqualTo(2_000 + 1); // and the new channel's
        assertThat(s.results())
                .containsEntry("channels", 2_000.0)
                .containsEntry("acked", 2_000.0)
                .containsEntry("newChannelPublishAcked", 1.0)
                .containsEntry("oldChannelHistoryAnswered", 1.0)
                .doesNotContainKeys("serverHeapBytesBefore", "serverHeapBytesPerChannel");
        assertThat(s.results().keySet()).noneMatch(k -> k.startsWith("errors."));
        assertThat(s.results().get("publishesPerSec")).isPositive();
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("published to 2,000 channels", "PASSED");

        var json = new ObjectMapper()
                .readTree(out.resolve(ReportWriter.SUMMARY_JSON).toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("channels");
        assertThat(json.path("results").path("oldChannelHistoryAnswered").asDouble())
                .isEqualTo(1.0);
    }

    /** As in {@link IdleTest}: the test JVM is server and harness at once; this checks that every figure was read. */
    @Test
    void memoryIsMeasuredBeforeRightAfterAndAfterTheIdleWait() throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + "/metrics");
        Channels.Options options =
                new Channels.Options(500, "lt-mem.", 1, 50, 16, Duration.ofMillis(100), Duration.ofSeconds(30));
        Summary s = new Channels(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new ServerMemory(ProcessHandle.current().pid(), metrics),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        for (String figure :
                List.of("serverHeapBytes", "serverDirectBytes", "serverNettyDirectBytes", "serverRssBytes")) {
            assertThat(s.results())
                    .containsKeys(
                            figure + "Before",
                            figure + "AfterPublishes",
                            figure + "AfterIdle",
                            figure + "PerChannel",
                            figure + "PerChannelAfterIdle");
        }
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8))
                .contains("server memory before the publishes: heap", "server memory after the idle wait: heap");
    }
}
