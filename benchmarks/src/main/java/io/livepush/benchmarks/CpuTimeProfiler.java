package io.livepush.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Throughput per CPU-second of the benchmark JVM ({@code -prof io.livepush.benchmarks.CpuTimeProfiler}).
 *
 * <p>On a machine shared with other work, ops/s follows the neighbours' load: a run that got half a
 * core scores half. Dividing by the CPU time the process actually got (benchmark thread, plus GC and
 * JIT, which are small once warm) gives a cost figure that compares across such runs. It still counts
 * what contention costs inside the CPU (caches), so it is a steadier figure, not a quiet-machine one.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "Throughput per CPU-second of the benchmark process";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        double cpuPerWall = (double) (os.getProcessCpuTime() - cpuStart) / (System.nanoTime() - wallStart);
        Result<?> primary = result.getPrimaryResult();
        return List.of(
                new ScalarResult("cpu", cpuPerWall, "cpu-s/s", AggregationPolicy.AVG),
                new ScalarResult(
                        "perCpu",
                        primary.getScore() / cpuPerWall,
                        primary.getScoreUnit() + " per cpu",
                        AggregationPolicy.AVG));
    }
}
