package io.livepush.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.report.Comparison;
import io.livepush.loadtest.report.ComparisonTable;
import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.report.Sweep;
import io.livepush.loadtest.report.SweepTable;
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
                    + "then prints deliveries/s, latency percentiles, continuity, errors, the server's and the harness's "
                    + "CPU time per delivery and the server's RSS per target, and the ratios of deliveries/s, p99 and "
                    + "CPU per delivery between every pair. With --rates, all of it at each rate in turn.",
            "Targets: " + WorkloadOptions.TARGETS
                    + ". Every run stops by itself after --duration; targets are loopback only.",
            "A hole fails a run against our server (push-tcp, push-ws). MQTT QoS 0 and Redis Pub/Sub may drop "
                    + "messages for slow subscribers by design: their holes are counted and shown, not failed; "
                    + "duplicates, reordering and errors fail any run. Exit code 0 when every run passed."
        })
final class CompareCommand implements Callable<Integer> {
    static final String COMPARISON_JSON = "comparison.json";
    static final String SWEEP_JSON = "sweep.json";
    private static final ObjectWriter JSON = new ObjectMapper().writerWithDefaultPrettyPrinter();

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

    @Option(
            names = "--server-pid",
            split = ",",
            description = "our server's process(es), measured for push-tcp and push-ws "
                    + "(default: the processes listening on --tcp-port / --ws-port)")
    List<Long> serverPid;

    @Option(
            names = "--redis-pid",
            split = ",",
            description = "the Redis server's process(es) (default: the processes listening on --redis-port)")
    List<Long> redisPid;

    @Option(
            names = "--mqtt-pid",
            split = ",",
            description = "the MQTT broker's process(es) (default: the processes listening on --mqtt-port)")
    List<Long> mqttPid;

    @Option(
            names = "--rates",
            split = ",",
            description = "a fixed-rate sweep: every target at each of these publishes/s in turn, e.g. 100,300,600; "
                    + "reported per rate, under --out/rate-<r>/ (not with --rate or --closed-loop)")
    List<Double> rates;

    @Option(
            names = "--out",
            description = "directory for comparison.json and one report directory per target (with --rates: "
                    + "sweep.json and one such directory per rate)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Scenario scenario;
        List<Step> steps = new ArrayList<>();
        try {
            if (targets.stream().distinct().count() < targets.size()) {
                throw new IllegalArgumentException("--targets: " + targets + " (expected: each target once)");
            }
            scenario = workload.scenario();
            // Every run's options are checked before the first run starts.
            if (rates == null) {
                steps.add(new Step(0, out, runs(out)));
            } else {
                for (double rate : sweepRates()) {
                    Path dir = out == null ? null : out.resolve("rate-" + label(rate));
                    steps.add(new Step(
                            rate,
                            dir,
                            runs(dir).stream().map(o -> o.withRate(rate)).toList()));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        List<Sweep.Step> done = new ArrayList<>();
        for (Step step : steps) {
            Comparison comparison = compare(scenario, step);
            done.add(new Sweep.Step(step.rate(), comparison));
        }
        if (rates == null) {
            return done.get(0).comparison().allPassed() ? 0 : 1;
        }
        Sweep sweep = new Sweep(done);
        SweepTable.print(sweep, System.out);
        if (out != null) {
            JSON.writeValue(out.resolve(SWEEP_JSON).toFile(), sweep);
        }
        return sweep.allPassed() ? 0 : 1;
    }

    /** One rate's runs (rate 0: the workload's own pacing) and where their reports go (null for nowhere). */
    private record Step(double rate, Path dir, List<FanoutOptions> runs) {}

    private Comparison compare(Scenario scenario, Step step) throws Exception {
        List<Summary> summaries = new ArrayList<>();
        List<FanoutOptions> runs = step.runs();
        for (int i = 0; i < runs.size(); i++) {
            System.out.printf(
                    Locale.ROOT,
                    "== compare %d/%d: %s%s%n",
                    i + 1,
                    runs.size(),
                    runs.get(i).kind(),
                    step.rate() > 0 ? " at " + label(step.rate()) + " msg/s" : "");
            summaries.add(new Fanout(scenario, runs.get(i), System.out).run());
        }
        Comparison comparison = Comparison.of(summaries);
        if (step.rate() > 0) {
            System.out.printf(Locale.ROOT, "== %s msg/s%n", label(step.rate()));
        }
        ComparisonTable.print(comparison, System.out);
        if (step.dir() != null) {
            Files.createDirectories(step.dir());
            JSON.writeValue(step.dir().resolve(COMPARISON_JSON).toFile(), comparison);
        }
        return comparison;
    }

    /** One run per target, its report under {@code dir} (null for none). */
    private List<FanoutOptions> runs(Path dir) {
        List<FanoutOptions> runs = new ArrayList<>();
        for (TargetKind kind : targets) {
            FanoutOptions o = workload.options(
                    kind, portOption(kind), port(kind), dir == null ? null : dir.resolve(kind.label()));
            List<Long> pids = pids(kind);
            runs.add(pids == null ? o : o.withServerPids(pids));
        }
        return runs;
    }

    private List<Double> sweepRates() {
        if (workload.rate != null || workload.closedLoop) {
            throw new IllegalArgumentException("--rates: not with --rate or --closed-loop");
        }
        for (double r : rates) {
            if (!(r > 0)) {
                throw new IllegalArgumentException("--rates: " + rates + " (expected: each > 0)");
            }
        }
        return rates;
    }

    /** {@code 100} for 100.0, {@code 0.5} for 0.5. */
    private static String label(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static String portOption(TargetKind kind) {
        return switch (kind) {
            case PUSH_TCP -> "--tcp-port";
            case PUSH_WS -> "--ws-port";
            case MQTT -> "--mqtt-port";
            case REDIS -> "--redis-port";
        };
    }

    private List<Long> pids(TargetKind kind) {
        return switch (kind) {
            case PUSH_TCP, PUSH_WS -> serverPid;
            case MQTT -> mqttPid;
            case REDIS -> redisPid;
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
