package io.livepush.loadtest.scenario;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.targets.TargetKind;
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
class FanoutTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @TempDir
    Path out;

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    private FanoutOptions options(String room, double rate, Duration duration, String secret) {
        return FanoutOptions.defaults(server.tcpAddress(), secret)
                .withRoom(room)
                .withRate(rate)
                .withDuration(duration)
                .withOut(out)
                .withConsoleEvery(Duration.ofSeconds(1));
    }

    @Test
    void smallFanoutDeliversEverythingInOrderAndWritesReports() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(atOnceUsers(50)),
                        options("room.fanout-small", 200, Duration.ofSeconds(3), InProcessServer.SECRET),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.passed()).isTrue();
        assertThat(s.counts().subscribersJoined()).isEqualTo(50);
        assertThat(s.counts().published()).isBetween(500L, 620L);
        assertThat(s.counts().acked()).isEqualTo(s.counts().published());
        assertThat(s.counts().expectedDeliveries()).isEqualTo(50 * s.counts().published());
        assertThat(s.counts().deliveries()).isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.counts().errors()).isZero();
        assertThat(s.latencyMs().count()).isEqualTo(s.counts().deliveries());
        assertThat(s.latencyMs().p99())
                .isPositive()
                .isLessThanOrEqualTo(s.latencyMs().max());
        assertThat(s.timeline()).isNotEmpty();

        JsonNode json = new ObjectMapper()
                .readTree(out.resolve(ReportWriter.SUMMARY_JSON).toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("fanout");
        assertThat(json.path("passed").asBoolean()).isTrue();
        assertThat(json.path("counts").path("deliveries").asLong())
                .isEqualTo(s.counts().deliveries());
        assertThat(json.path("latencyMs").has("p99")).isTrue();
        assertThat(json.path("continuity").path("holes").asLong()).isZero();
        assertThat(json.path("timeline").isArray()).isTrue();
        assertThat(json.path("timeline").get(0).has("deliveriesPerSec")).isTrue();
        // The server runs in this process: its CPU time cannot be told apart from the harness's.
        assertThat(json.path("resources").path("harnessCpuUsPerDelivery").asDouble())
                .isPositive();
        assertThat(json.path("resources").path("serverCpuUsPerDelivery").asDouble())
                .isEqualTo(-1);

        String html = Files.readString(out.resolve(ReportWriter.REPORT_HTML));
        // Self-contained: data inline, no external script, stylesheet or image.
        assertThat(html)
                .contains("createElementNS", "\"deliveries\"")
                .doesNotContain("/*SUMMARY_JSON*/")
                .doesNotContain("<script src", "<link", "<img", "https://");
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8))
                .contains("deliveries/s", "PASSED", "harness CPU us/delivery", "not measured (no server process");
    }

    @Test
    void rampedSubscribersAllJoinBeforePublishing() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(rampUsers(20).during(Duration.ofMillis(500))),
                        options("room.fanout-ramp", 100, Duration.ofSeconds(1), InProcessServer.SECRET),
                        console)
                .run();

        assertThat(s.passed()).as("failures %s", s.failures()).isTrue();
        assertThat(s.counts().subscribersJoined()).isEqualTo(20);
        assertThat(s.counts().deliveries())
                .isEqualTo(20 * s.counts().published())
                .isPositive();
    }

    @Test
    void warmUpIsCheckedButLeftOutOfLatencyAndRates() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(atOnceUsers(10)),
                        options("room.fanout-warm", 100, Duration.ofSeconds(1), InProcessServer.SECRET)
                                .withWarmup(Duration.ofSeconds(1)),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.config().warmupMs()).isEqualTo(1000);
        // Both seconds are published, delivered and checked for continuity ...
        assertThat(s.counts().published()).isBetween(180L, 220L);
        assertThat(s.counts().deliveries()).isEqualTo(10 * s.counts().published());
        assertThat(s.counts().expectedDeliveries()).isEqualTo(s.counts().deliveries());
        // ... but latency and rates cover the measured second only.
        assertThat(s.latencyMs().count())
                .isBetween(s.counts().deliveries() / 4, s.counts().deliveries() * 3 / 4);
        assertThat(s.counts().publishedPerSec()).isBetween(80.0, 120.0);
        assertThat(s.counts().deliveriesPerSec()).isBetween(800.0, 1200.0);
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("warm-up over after 1.0s");
        JsonNode json = new ObjectMapper()
                .readTree(out.resolve(ReportWriter.SUMMARY_JSON).toFile());
        assertThat(json.path("config").path("warmupMs").asLong()).isEqualTo(1000);
    }

    @Test
    void webSocketTargetDeliversEverythingInOrder() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(atOnceUsers(20)),
                        options("room.fanout-ws", 200, Duration.ofSeconds(1), InProcessServer.SECRET)
                                .withTarget(TargetKind.PUSH_WS, server.wsAddress()),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.transport()).isEqualTo("push-ws");
        assertThat(s.counts().subscribersJoined()).isEqualTo(20);
        assertThat(s.counts().acked()).isEqualTo(s.counts().published()).isPositive();
        assertThat(s.counts().deliveries()).isEqualTo(20 * s.counts().published());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
    }

    @Test
    void closedLoopPublishesAsFastAsTheSlowestSubscriberAllowsWithoutHoles() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(atOnceUsers(20)),
                        options("room.fanout-closed", 1, Duration.ofSeconds(1), InProcessServer.SECRET)
                                .withClosedLoop(20),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.config().closedLoop()).isTrue();
        assertThat(s.config().backlog()).isEqualTo(20);
        // Past the first windows of 20 (and the 1 msg/s rate, which closed loop ignores).
        assertThat(s.counts().published()).isGreaterThan(40);
        assertThat(s.counts().deliveries()).isEqualTo(20 * s.counts().published());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("closed loop, backlog 20");
    }

    @Test
    void wrongSecretFailsTheRun() throws Exception {
        Summary s = new Fanout(
                        scenario("fanout").inject(atOnceUsers(3)),
                        options("room.fanout-bad", 100, Duration.ofSeconds(1), "not-the-secret-0123456789abcdef"),
                        console)
                .run();

        assertThat(s.passed()).isFalse();
        assertThat(s.counts().errors()).isPositive();
        assertThat(s.failures()).anySatisfy(f -> assertThat(f).contains("did not join"));
    }
}
