package io.livepush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.stats.ResourceUse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

    private static Summary summary(String target, List<Summary.Node> nodes) {
        return summary(target, nodes, ResourceUse.NONE);
    }

    private static Summary summary(String target, List<Summary.Node> nodes, ResourceUse resources) {
        return new Summary(
                "fanout",
                target,
                nodes,
                "push-tcp",
                "2026-11-21T00:00:00Z",
                true,
                List.of(),
                new Summary.Config(5, 10, 1000, 100, "room.x"),
                new Summary.Counts(5, 10, 10, 50, 50, 10, 50, 0, 1.5),
                new Summary.Latency(50, 1, 2, 3, 4, 5, 1.5),
                new Summary.Continuity(0, 0, 0),
                Map.of(),
                List.of(),
                resources);
    }

    private static String print(Summary s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleTable.print(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClusterRunShowsEveryNodeWithItsMembers() {
        String table = print(summary(
                "127.0.0.1:7070,127.0.0.1:7071",
                List.of(new Summary.Node("127.0.0.1:7070", 3), new Summary.Node("127.0.0.1:7071", 2))));
        assertThat(table)
                .contains("fanout -> 127.0.0.1:7070,127.0.0.1:7071 (push-tcp)")
                .contains("nodes (members)")
                .contains("2: 127.0.0.1:7070 (3), 127.0.0.1:7071 (2)");
    }

    @Test
    void aSingleServerRunHasNoNodeRow() {
        String table = print(summary("127.0.0.1:7070", List.of(new Summary.Node("127.0.0.1:7070", 5))));
        assertThat(table).contains("fanout -> 127.0.0.1:7070 (push-tcp)").doesNotContain("nodes");
    }

    @Test
    void measuredResourcesShowCpuPerDeliveryCoresAndRss() {
        String table = print(
                summary("127.0.0.1:7070", List.of(), new ResourceUse(List.of(4242L), 2.345, 0.91, 180.4, 1.234, 0.52)));

        assertThat(table)
                .contains("server CPU us/delivery (cores)     2.345 (0.91)")
                .contains("server RSS MB (pids)               180.4 (4242)")
                .contains("harness CPU us/delivery (cores)    1.234 (0.52)");
        assertThat(print(summary("127.0.0.1:7070", List.of()))).doesNotContain("CPU");
    }
}
