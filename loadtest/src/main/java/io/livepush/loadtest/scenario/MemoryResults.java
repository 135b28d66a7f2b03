package io.livepush.loadtest.scenario;

import io.livepush.loadtest.stats.ServerMemory;
import java.util.Map;

/** Server memory figures in a summary's results, named as {@link ServerMemory.Snapshot#figures()} names them. */
final class MemoryResults {
    private MemoryResults() {}

    /**
     * Every known figure of {@code s} as {@code <name><suffix>}, e.g. {@code serverHeapBytesAfterIdle}; for a
     * cluster (the sum), then each node's as {@code <name><suffix>Node<k>}, k from 1.
     */
    static void put(Map<String, Double> results, ServerMemory.Snapshot s, String suffix) {
        s.figures().forEach((name, bytes) -> results.put(name + suffix, (double) bytes));
        for (int k = 0; k < s.nodes().size(); k++) {
            String node = "Node" + (k + 1);
            s.nodes().get(k).figures().forEach((name, bytes) -> results.put(name + suffix + node, (double) bytes));
        }
    }

    /** {@code (after − before) / n} as {@code <name><suffix>} for every figure known at both times. */
    static void perUnit(
            Map<String, Double> results,
            ServerMemory.Snapshot before,
            ServerMemory.Snapshot after,
            int n,
            String suffix) {
        Map<String, Long> then = before.figures();
        after.figures().forEach((name, bytes) -> {
            if (then.containsKey(name)) {
                results.put(name + suffix, ScenarioRun.round((bytes - then.get(name)) / (double) n));
            }
        });
    }
}
