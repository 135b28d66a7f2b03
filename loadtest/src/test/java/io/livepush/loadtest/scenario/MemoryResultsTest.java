package io.livepush.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.stats.ServerMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryResultsTest {

    @Test
    void aClusterPutsTheSumThenEveryNode() {
        ServerMemory.Snapshot one = new ServerMemory.Snapshot(100, -1, -1, 1000);
        ServerMemory.Snapshot two = new ServerMemory.Snapshot(200, -1, -1, 3000);
        ServerMemory.Snapshot sum = new ServerMemory.Snapshot(300, -1, -1, 4000, List.of(one, two));
        Map<String, Double> results = new LinkedHashMap<>();

        MemoryResults.put(results, sum, "AfterIdle");

        assertThat(results)
                .containsExactly(
                        Map.entry("serverHeapBytesAfterIdle", 300.0),
                        Map.entry("serverRssBytesAfterIdle", 4000.0),
                        Map.entry("serverHeapBytesAfterIdleNode1", 100.0),
                        Map.entry("serverRssBytesAfterIdleNode1", 1000.0),
                        Map.entry("serverHeapBytesAfterIdleNode2", 200.0),
                        Map.entry("serverRssBytesAfterIdleNode2", 3000.0));
    }

    @Test
    void aSingleServerPutsItsFiguresAlone() {
        Map<String, Double> results = new LinkedHashMap<>();
        MemoryResults.put(results, new ServerMemory.Snapshot(100, 5, -1, 1000), "Round1");
        assertThat(results)
                .containsOnlyKeys("serverHeapBytesRound1", "serverDirectBytesRound1", "serverRssBytesRound1");
    }
}
