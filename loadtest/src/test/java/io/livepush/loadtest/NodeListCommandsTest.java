package io.livepush.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.report.ReportWriter;
import io.livepush.loadtest.scenario.InProcessServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The node-list options on the command line, against one in-process server named several times: the lists
 * parse, users are dealt round-robin over the entries, the reports carry each node's members, and lists that
 * do not pair are bad usage. (A real cluster, where the nodes differ, is {@link ClusterIT}.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeListCommandsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static String times(int n, int port) {
        return String.join(",", Collections.nCopies(n, String.valueOf(port)));
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

    @Test
    void fanoutDealsSubscribersRoundRobinOverThePortsAndReportsEachNode(@TempDir Path out) throws Exception {
        int port = server.tcpAddress().getPort();
        int code = execute(
                "fanout",
                "--port",
                times(3, port),
                "--token-secret",
                InProcessServer.SECRET,
                "--subscribers",
                "10",
                "--rate",
                "100",
                "--duration",
                "1s",
                "--room",
                "room.nodes-fanout",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = summary(out);
        String node = "127.0.0.1:" + port;
        assertThat(json.path("target").asText()).isEqualTo(node + "," + node + "," + node);
        assertThat(members(json)).containsExactly(4, 3, 3);
        assertThat(json.path("nodes").get(0).path("address").asText()).isEqualTo(node);
        assertThat(json.path("counts").path("deliveries").asLong())
                .isEqualTo(10 * json.path("counts").path("published").asLong())
                .isPositive();
        // The inline data of the HTML report, from which it draws the node row.
        assertThat(Files.readString(out.resolve(ReportWriter.REPORT_HTML))).contains("\"members\" : 4");
    }

    @Test
    void aSingleNodeIsReportedAsOneNodeWithEveryMember(@TempDir Path out) throws Exception {
        int code = execute(
                "fanout",
                "--port",
                String.valueOf(server.tcpAddress().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--subscribers",
                "5",
                "--rate",
                "50",
                "--duration",
                "1s",
                "--room",
                "room.nodes-single",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = summary(out);
        assertThat(json.path("target").asText())
                .isEqualTo("127.0.0.1:" + server.tcpAddress().getPort());
        assertThat(members(json)).containsExactly(5);
    }

    @Test
    void webSocketPortsTakeAListToo(@TempDir Path out) throws Exception {
        int code = execute(
                "fanout",
                "--target",
                "push-ws",
                "--host",
                "127.0.0.1,localhost",
                "--port",
                String.valueOf(server.wsAddress().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--subscribers",
                "6",
                "--rate",
                "50",
                "--duration",
                "1s",
                "--room",
                "room.nodes-ws",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(members(summary(out))).containsExactly(3, 3);
    }

    @Test
    void reconnectStormBringsEveryClientBackOnTheNextNode(@TempDir Path out) throws Exception {
        int code = execute(
                "reconnect-storm",
                "--port",
                times(3, server.tcpAddress().getPort()),
                "--token-secret",
                InProcessServer.SECRET,
                "--clients",
                "10",
                "--missed",
                "5",
                "--ramp",
                "0s",
                "--duration",
                "30s",
                "--room",
                "room.nodes-storm",
                "--out",
                out.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = summary(out);
        assertThat(json.path("results").path("clientsRecovered").asInt()).isEqualTo(10);
        // Dealt 4, 3, 3 (client i on node i mod 3), then each came back on the next node: the first node
        // got the third's three, the second the first's four, the third the second's three.
        assertThat(members(json)).containsExactly(3, 4, 3);
    }

    @Test
    void hostAndPortListsThatDoNotPairAreBadUsageNamingTheOptions() {
        assertThat(execute("rooms", "--host", "127.0.0.1,127.0.0.2", "--port", "1,2,3", "--token-secret", "s"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--host 127.0.0.1,127.0.0.2 and --port 1,2,3", "2 hosts and 3 ports");
    }

    @Test
    void fanoutAndComparePortListsThatDoNotPairAreBadUsageToo() {
        assertThat(execute("fanout", "--host", "127.0.0.1,127.0.0.2", "--port", "1,2,3", "--token-secret", "s"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--port 1,2,3");
        assertThat(execute(
                        "compare",
                        "--targets",
                        "push-tcp,push-ws",
                        "--host",
                        "127.0.0.1,127.0.0.2",
                        "--ws-port",
                        "1,2,3",
                        "--token-secret",
                        "s"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--ws-port 1,2,3");
    }

    @Test
    void aPortOutOfRangeInTheListIsBadUsage() {
        assertThat(execute("rooms", "--port", "7070,0", "--token-secret", "s")).isEqualTo(2);
        assertThat(err.toString()).contains("--port: 0 (expected: 1-65535)");
    }

    @Test
    void serverPidsMustBeOnePerNode() {
        int port = server.tcpAddress().getPort();
        assertThat(execute(
                        "idle",
                        "--port",
                        times(2, port),
                        "--token-secret",
                        InProcessServer.SECRET,
                        "--server-pid",
                        "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--server-pid: 1 given for 2 node(s)");
        assertThat(execute(
                        "churn",
                        "--port",
                        times(2, port),
                        "--token-secret",
                        InProcessServer.SECRET,
                        "--metrics-url",
                        "http://127.0.0.1:1/metrics,http://127.0.0.1:2/metrics,http://127.0.0.1:3/metrics"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--metrics-url: 3 given for 2 node(s)");
    }
}
