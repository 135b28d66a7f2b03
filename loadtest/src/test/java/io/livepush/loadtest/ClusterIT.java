package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.scenario.InProcessServer;
import io.livepush.loadtest.targets.PeerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness against a real cluster: a {@code redis-server} and three server processes on it
 * ({@code --engine redis}), driven from the command line with node lists. Each run is checked from both
 * sides: the harness's report (continuity, members per node) and every node's own counters, which show
 * where the publishes, live deliveries and resume replays happened. Skipped without redis-server.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIT {
    @RegisterExtension
    @Order(1)
    static final PeerProcess redis = PeerProcess.redis();

    @RegisterExtension
    @Order(2)
    static final ClusterNodes cluster = new ClusterNodes(3, redis::address);

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static JsonNode summary(Path out) throws IOException {
        return new ObjectMapper()
                .readTree(out.resolve(ReportWriter.SUMMARY_JSON).toFile());
    }

    private static List<Integer> members(JsonNode summary) {
        List<Integer> members = new ArrayList<>();
        summary.path("nodes").forEach(n -> members.add(n.path("members").asInt()));
        return members;
    }

    private static long[] minus(long[] after, long[] before) {
        long[] d = new long[after.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = after[i] - before[i];
        }
        return d;
    }

    @Test
    void fanoutPublishesOnTheFirstNodeAndEveryMemberOnEveryNodeGetsEverything(@TempDir Path out) throws Exception {
        long[] publishedBefore = cluster.counter("push_messages_published_total");
        long[] deliveredBefore = cluster.counter("push_messages_delivered_total");

        int code = execute(
                "fanout",
                "--port",
                cluster.list(n -> n.tcp().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--subscribers",
                "31",
                "--rate",
                "200",
                "--duration",
                "2s",
                "--room",
                "room.cluster-fanout",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = summary(out);
        long published = json.path("counts").path("published").asLong();
        assertThat(published).isPositive();
        assertThat(json.path("nodes")).hasSize(3);
        assertThat(members(json)).containsExactly(11, 10, 10);
        assertThat(json.path("counts").path("deliveries").asLong()).isEqualTo(31 * published);
        assertThat(json.path("continuity").path("holes").asLong()).isZero();
        // The nodes' side: every publish was taken by the first node, and each node wrote every message
        // live to its own members.
        assertThat(minus(cluster.counter("push_messages_published_total"), publishedBefore))
                .containsExactly(published, 0, 0);
        assertThat(minus(cluster.counter("push_messages_delivered_total"), deliveredBefore))
                .containsExactly(11 * published, 10 * published, 10 * published);
    }

    @Test
    void reconnectStormResumesEveryClientOnTheNextNodeWithEveryMissedMessage(@TempDir Path out) throws Exception {
        long[] replayedBefore = cluster.counter("push_messages_replayed_total");

        int code = execute(
                "reconnect-storm",
                "--host",
                "127.0.0.1",
                "--port",
                cluster.list(n -> n.tcp().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--clients",
                "31",
                "--missed",
                "10",
                "--ramp",
                "0s",
                "--duration",
                "60s",
                "--room",
                "room.cluster-storm",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = summary(out);
        assertThat(json.path("results").path("clientsRecovered").asInt()).isEqualTo(31);
        assertThat(json.path("counts").path("deliveries").asLong()).isEqualTo(31 * 10);
        // Dealt 11, 10, 10 (client i on node i mod 3); each came back on the next node.
        assertThat(members(json)).containsExactly(10, 11, 10);
        // The nodes' side: each replayed the 10 missed messages to the clients that resumed on it, which had
        // left another node.
        assertThat(minus(cluster.counter("push_messages_replayed_total"), replayedBefore))
                .containsExactly(10 * 10, 11 * 10, 10 * 10);
    }

    @Test
    void idleMeasuresEveryNodeFromItsPidAndMetricsAndAddsThemUp(@TempDir Path out) throws Exception {
        int code = execute(
                "idle",
                "--port",
                cluster.list(n -> n.tcp().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--connections",
                "30",
                "--ramp",
                "0s",
                "--duration",
                "1s",
                "--server-pid",
                cluster.list(ClusterNodes.Node::pid),
                "--metrics-url",
                cluster.list(ClusterNodes.Node::metricsUrl),
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode results = summary(out).path("results");
        assertThat(results.path("connectionsHeld").asInt()).isEqualTo(30);
        for (String figure : List.of("serverHeapBytesPerConnection", "serverRssBytesPerConnection")) {
            assertThat(results.has(figure)).as(figure).isTrue();
            for (int k = 1; k <= 3; k++) {
                assertThat(results.has(figure + "Node" + k))
                        .as(figure + "Node" + k)
                        .isTrue();
            }
        }
    }
}
