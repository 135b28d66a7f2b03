package io.livepush.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.report.Comparison;
import io.livepush.loadtest.report.ComparisonTable;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.scenario.Fanout;
import io.livepush.loadtest.scenario.FanoutOptions;
import io.livepush.loadtest.targets.TargetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code compare}: the fan-out workload against several targets back to back, then their ratios. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the fanout workload against each target in turn (same subscribers, pacing, duration, payload), "
                    + "then prints deliveries/s, latency percentiles, continuity and errors per target, and the ratios of "
                    + "deliveries/s and p99 between every pair.",
            "Targets: " + WorkloadOptions.TARGETS
                    + ". Every run stops by itself after --duration; targets are loopback only.",
            "A hole fails a run against our server (push-tcp, push-ws). MQTT QoS 0 and Redis Pub/Sub may drop "
                    + "messages for slow subscribers by design: their holes are counted and shown, not failed; "
                    + "duplicates, reordering and errors fail any run. Exit code 0 when every run passed."
        })
final class CompareCommand implements Callable<Integer> {
    static final String COMPARISON_JSON = "comparison.json";

    @Spec
    CommandSpec spec;

    @Mixin
    WorkloadOptions workload;

    @Option(
            names = "--targets",
            required = true,
            split = ",",
            converter = WorkloadOptions.TargetConverter.class,
            description = "targets in run order, e.g. push-tcp,push-ws,mqtt,redis")
    List<TargetKind> targets;

    @Option(
            names = "--tcp-port",
            defaultValue = "7070",
            split = ",",
            description = "our server's TCP port, or a comma-separated list for a cluster (default: ${DEFAULT-VALUE})")
    List<Integer> tcpPort;

    @Option(
            names = "--ws-port",
            defaultValue = "8080",
            split = ",",
            description =
                    "our server's WebSocket port, or a comma-separated list for a cluster (default: ${DEFAULT-VALUE})")
    List<Integer> wsPort;

    @Option(
            names = "--mqtt-port",
            defaultValue = "1883",
            split = ",",
            description = "the MQTT broker's port, or a comma-separated list (default: ${DEFAULT-VALUE})")
    List<Integer> mqttPort;

    @Option(
            names = "--redis-port",
            defaultValue = "6379",
            split = ",",
            description = "the Redis server's port, or a comma-separated list (default: ${DEFAULT-VALUE})")
    List<Integer> redisPort;

    @Option(names = "--out", description = "directory for comparison.json and one report directory per target")
    Path out;

    @Override
    public Integer call() throws Exception {
        Scenario scenario;
        List<FanoutOptions> runs = new ArrayList<>();
        try {
            if (targets.stream().distinct().count() < targets.size()) {
                throw new IllegalArgumentException("--targets: " + targets + " (expected: each target once)");
            }
            scenario = workload.scenario();
            // Every run's options are checked before the first run starts.
            for (TargetKind kind : targets) {
                runs.add(workload.options(
                        kind, portOption(kind), port(kind), out == null ? null : out.resolve(kind.label())));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Summary> summaries = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            System.out.printf(
                    Locale.ROOT,
                    "== compare %d/%d: %s%n",
                    i + 1,
                    runs.size(),
                    runs.get(i).kind());
            summaries.add(new Fanout(scenario, runs.get(i), System.out).run());
        }
        Comparison comparison = Comparison.of(summaries);
        ComparisonTable.print(comparison, System.out);
        if (out != null) {
            Files.createDirectories(out);
            new ObjectMapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(out.resolve(COMPARISON_JSON).toFile(), comparison);
        }
        return comparison.allPassed() ? 0 : 1;
    }

    private static String portOption(TargetKind kind) {
        return switch (kind) {
            case PUSH_TCP -> "--tcp-port";
            case PUSH_WS -> "--ws-port";
            case MQTT -> "--mqtt-port";
            case REDIS -> "--redis-port";
        };
    }

    private List<Integer> port(TargetKind kind) {
        return switch (kind) {
            case PUSH_TCP -> tcpPort;
            case PUSH_WS -> wsPort;
            case MQTT -> mqttPort;
            case REDIS -> redisPort;
        };
    }
}
