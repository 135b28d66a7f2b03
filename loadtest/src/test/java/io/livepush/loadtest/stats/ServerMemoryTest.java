package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMemoryTest {
    @Test
    void liveHeapIsTheTotalOfTheClassHistogram() throws IOException {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        100450        8258520  [B (java.base@17.0.15)
                   2:         83175        1996200  java.lang.String (java.base@17.0.15)
                Total        531486       25317944
                """;
        assertThat(ServerMemory.histogramTotalBytes(histogram)).isEqualTo(25_317_944L);
        assertThatThrownBy(() -> ServerMemory.histogramTotalBytes("12345:\nnothing"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClusterIsTheSumOfItsNodesEachKnownOnlyWhereEveryNodeKnowsIt() {
        ServerMemory.Snapshot sum = ServerMemory.Snapshot.sum(
                List.of(new ServerMemory.Snapshot(100, 10, -1, 1000), new ServerMemory.Snapshot(200, 20, 5, 2000)));
        assertThat(sum.heapBytes()).isEqualTo(300);
        assertThat(sum.directBytes()).isEqualTo(30);
        assertThat(sum.nettyDirectBytes()).isEqualTo(-1);
        assertThat(sum.rssBytes()).isEqualTo(3000);
        assertThat(sum.nodes()).hasSize(2);
        assertThat(sum.figures()).doesNotContainKey("serverNettyDirectBytes").containsEntry("serverRssBytes", 3000L);
        assertThat(sum.describe()).contains("over 2 nodes [node 1: heap", "; node 2: heap");
    }

    /** This JVM named twice: two nodes, each measured from its pid (a GC through jcmd, RSS from /proc). */
    @Test
    void everyPidOfAClusterIsMeasuredAndAddedUp() throws Exception {
        long self = ProcessHandle.current().pid();
        ServerMemory memory = new ServerMemory(List.of(self, self), List.of());
        assertThat(memory.nodes()).isEqualTo(2);
        ServerMemory.Snapshot s = memory.measure();
        assertThat(s.nodes())
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.rssBytes()).isPositive());
        assertThat(s.rssBytes())
                .isEqualTo(s.nodes().get(0).rssBytes() + s.nodes().get(1).rssBytes());
        assertThat(s.heapBytes())
                .isPositive()
                .isEqualTo(s.nodes().get(0).heapBytes() + s.nodes().get(1).heapBytes());
    }

    @Test
    void pidsAndMetricsUrlsOfAClusterPairUp() {
        assertThatThrownBy(() -> new ServerMemory(List.of(1L, 2L), List.of(URI.create("http://127.0.0.1:1/metrics"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: as many of each, one per node");
        assertThatThrownBy(() -> new ServerMemory(List.of(1L, -2L), List.of())).hasMessageContaining("pid: -2");
        assertThat(new ServerMemory(0, null).measures()).isFalse();
    }
}
